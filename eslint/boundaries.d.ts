import type { Linter } from 'eslint';

export declare const CORE_BOUNDARY_MESSAGE: string;
export declare const coreBoundary: Linter.Config;
