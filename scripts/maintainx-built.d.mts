export declare const BUILT: string[];
