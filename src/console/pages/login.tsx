/** The sign-in form (shown when the suite has an admin token) and the error page. */
import { Layout, type Frame } from '../layout.js';

export function loginPage(error: string | null, csrf: string) {
  const frame: Frame = { title: 'Sign in', section: '', csrf, signedIn: false, flash: error ? { kind: 'error', text: error } : null };
  return (
    <Layout {...frame}>
      <p>This console is protected by the admin token (<code>--admin-token</code> or <code>VENDOR_FAKES_ADMIN_TOKEN</code>).</p>
      <form method="post" action="/login" class="stack" aria-label="Sign in">
        <input type="hidden" name="_csrf" value={csrf} />
        <div class="field">
          <label for="token">Admin token</label>
          <input id="token" name="token" type="password" required autocomplete="current-password" autofocus />
        </div>
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}

export function errorPage(frame: Frame, message: string) {
  return (
    <Layout {...frame}>
      <p role="alert">{message}</p>
      <p>
        <a href="/">Back to the overview</a>
      </p>
    </Layout>
  );
}
