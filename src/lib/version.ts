/** Replaced by the build (esbuild, Vite) with the version from package.json. */
declare const __SESAME_VERSION__: string | undefined;

export const VERSION: string = typeof __SESAME_VERSION__ === 'string' ? __SESAME_VERSION__ : 'dev';
