// The timeline thread (see thread.ts): a TimelineController with the spinning clock, a
// FaultApi of its own and the process faults. It warms its client before saying ready, starts on `start`, posts each
// call as it changes, and on `stop` removes every fault that is on, hands the events back and ends.
import { parentPort, workerData } from 'node:worker_threads';
import { spinningClock } from '../clock/index.ts';
import { ProcessFaults, UndoFile } from '../processes/index.ts';
import { TimelineController } from './controller.ts';
import { FaultApi } from './fault-api.ts';
import { FaultRouter } from './fault-router.ts';
import type { TimelineThreadCommand, TimelineThreadData, TimelineThreadMessage } from './thread.ts';
import { errorMessage } from '../errors.ts';

const port = parentPort!;
const say = (message: TimelineThreadMessage) => port.postMessage(message);
const { steps, api: apiOptions, processes } = (workerData as { data: TimelineThreadData }).data;
const api = new FaultApi(apiOptions);
const proxySteps = steps.filter((s) => s.targetKind === 'proxy');
const processFaults = new ProcessFaults({
  processes: processes.processes, cwd: processes.cwd, commandLog: processes.commandLog,
  undoFile: new UndoFile(processes.undoFile, processes.runPid, processes.runStartTicks),
});
const faults = new FaultRouter(api, processFaults, proxySteps.length > 0);
// Each call is posted as it changes, so the run can keep events.json up to date should it be killed.
const controller = new TimelineController(steps, faults, spinningClock, (event, index) => say({ event, index }));

try {
  await api.warm([...new Set(proxySteps.map((s) => s.target))]);
  await processFaults.warm();
  port.on('message', (command: TimelineThreadCommand) => {
    if ('start' in command) controller.start(command.start);
    else void stop();
  });
  say({ ready: true });
} catch (error) {
  say({ error: errorMessage(error) });
  await close();
}

async function stop(): Promise<void> {
  await controller.stop();
  say({ stopped: controller.events });
  await close();
  port.close();
}

async function close(): Promise<void> {
  await api.close();
  processFaults.close();
}
