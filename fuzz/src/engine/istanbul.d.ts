// istanbul-lib-instrument ships no types; only the call used here is declared.
declare module 'istanbul-lib-instrument' {
  export interface Instrumenter {
    instrumentSync(code: string, filename: string): string;
  }
  export function createInstrumenter(options: {
    coverageVariable?: string;
    compact?: boolean;
    esModules?: boolean;
    produceSourceMap?: boolean;
    autoWrap?: boolean;
    preserveComments?: boolean;
  }): Instrumenter;
}
