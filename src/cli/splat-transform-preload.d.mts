// Types of splat-transform-preload.mjs (plain JavaScript: it runs before tsx is registered).
export declare function usesSplatTransform(args: readonly string[]): boolean;
export declare function preloadSplatTransform(args: readonly string[]): Promise<void>;
