// Local processes: choosing one (pid, pid file, command-line match), faulting it (pause,
// restart, command, cpuStress) with what undoes each written down first, and reading /proc.
export { ProcessFaults, type ProcessFaultDetail, type ProcessFaultsOptions } from './process-faults.ts';
export { selectProcess, describeSelector, type ProcessSelector } from './select.ts';
export { stressProblem } from './stress.ts';
export { UndoFile, readUndoFile, readUndoFiles, stateDir, undoFileFor, type Undo, type UndoRecord } from './undo-file.ts';
export { performUndo, finishUndoFiles, type FinishedUndos } from './undo.ts';
export { readStat, readRssBytes, isSameProcess, isStatOf, TICKS_PER_SECOND, type ProcStat } from './proc.ts';
