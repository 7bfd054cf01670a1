// The `sesame` executable: wires the process (argv, signals, exit status) to runCli.
import { runCli } from './main.js';

const controller = new AbortController();
let interrupted = 0;
// The first Ctrl-C or SIGTERM cancels cleanly; a second one ends the process at once. The
// handler stays installed (not `once`): libraries that clean up on exit re-raise a signal when
// they find no other handler, which would kill the process before its clean stop.
const interrupt = (): void => {
  interrupted += 1;
  if (interrupted > 1) process.exit(130);
  controller.abort();
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

process.exitCode = await runCli(process.argv.slice(2), undefined, controller.signal);
