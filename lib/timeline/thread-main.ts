// The timeline thread (see thread.ts): a TimelineController with the spinning clock and a
// FaultApi of its own. It warms its client before saying ready, starts on `start`, posts each
// call as it changes, and on `stop` removes every fault that is on, hands the events back and ends.
import { parentPort, workerData } from 'node:worker_threads';
import { spinningClock } from '../clock/index.ts';
import { TimelineController } from './controller.ts';
import { FaultApi } from './fault-api.ts';
import type { TimelineThreadCommand, TimelineThreadData, TimelineThreadMessage } from './thread.ts';
import { errorMessage } from '../errors.ts';

const port = parentPort!;
const say = (message: TimelineThreadMessage) => port.postMessage(message);
const { steps, api: apiOptions } = (workerData as { data: TimelineThreadData }).data;
const api = new FaultApi(apiOptions);
// Each call is posted as it changes, so the run can keep events.json up to date should it be killed.
const controller = new TimelineController(steps, api, spinningClock, (event, index) => say({ event, index }));

try {
  await api.warm([...new Set(steps.map((s) => s.proxy))]);
  port.on('message', (command: TimelineThreadCommand) => {
    if ('start' in command) controller.start(command.start);
    else void stop();
  });
  say({ ready: true });
} catch (error) {
  say({ error: errorMessage(error) });
  await api.close();
}

async function stop(): Promise<void> {
  await controller.stop();
  say({ stopped: controller.events });
  await api.close();
  port.close();
}
