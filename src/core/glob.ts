/**
 * Path globs for the journal and faults: `*` matches any run of characters (slashes included), everything else
 * itself. Matching is the classic greedy wildcard algorithm: no regular expression, no backtracking blow-up
 * (at most pattern × subject steps, both bounded by the callers).
 */
export function globMatch(pattern: string, subject: string): boolean {
  let p = 0;
  let s = 0;
  let star = -1;
  let mark = 0;
  while (s < subject.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === subject[s]) {
      p++;
      s++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = s;
    } else if (star >= 0) {
      p = star + 1;
      s = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** A matcher for one pattern: string equality when it has no `*`. */
export function globMatcher(pattern: string): (subject: string) => boolean {
  if (!pattern.includes('*')) return (subject) => subject === pattern;
  if (pattern === '*') return () => true;
  return (subject) => globMatch(pattern, subject);
}
