// The `sesame` executable: wires the process (argv, signals, exit status) to runCli.
import { runCli } from './main.js';

const controller = new AbortController();
const interrupt = (): void => controller.abort();
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);

process.exitCode = await runCli(process.argv.slice(2), undefined, controller.signal);
