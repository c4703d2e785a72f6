import { InvalidInputError, type InputProblem } from '../errors.ts';
import { describeSelector, selectProcess, stressProblem } from '../processes/index.ts';
import type { ResolvedScenario } from '../scenario/resolved.ts';

/**
 * Before anything is sent: each declared process must name exactly one running process of
 * this user, and each cpuStress or memoryStress must fit the machine. Throws listing every problem.
 */
export async function checkProcesses(scenario: ResolvedScenario): Promise<void> {
  const problems: InputProblem[] = [];
  for (const [i, p] of scenario.processes.entries()) {
    const selection = await selectProcess(p);
    if ('problem' in selection) problems.push({ path: `processes[${i}] (${p.name})`, value: describeSelector(p), expected: `exactly one running process of this user: ${selection.problem}` });
  }
  for (const step of scenario.timeline) {
    const problem = stressProblem(step);
    if (problem) problems.push({ path: `timeline[${step.index}].fault.attributes`, value: step.fault.attributes, expected: problem });
  }
  if (problems.length) throw new InvalidInputError('the scenario\'s processes', problems);
}
