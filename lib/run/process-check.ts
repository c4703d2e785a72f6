import { InvalidInputError, type InputProblem } from '../errors.ts';
import { cpuStressProblem, describeSelector, selectProcess } from '../processes/index.ts';
import type { ResolvedScenario } from '../scenario/resolved.ts';

/**
 * Before anything is sent: each declared process must name exactly one running process of
 * this user, and each cpuStress must fit the machine. Throws listing every problem.
 */
export async function checkProcesses(scenario: ResolvedScenario): Promise<void> {
  const problems: InputProblem[] = [];
  for (const [i, p] of scenario.processes.entries()) {
    const selection = await selectProcess(p);
    if ('problem' in selection) problems.push({ path: `processes[${i}] (${p.name})`, value: describeSelector(p), expected: `exactly one running process of this user: ${selection.problem}` });
  }
  for (const step of scenario.timeline) {
    const problem = step.fault.type === 'cpu_stress' ? cpuStressProblem(step.fault.attributes.cores!) : null;
    if (problem) problems.push({ path: `timeline[${step.index}].fault.attributes.cores`, value: step.fault.attributes.cores, expected: problem });
  }
  if (problems.length) throw new InvalidInputError('the scenario\'s processes', problems);
}
