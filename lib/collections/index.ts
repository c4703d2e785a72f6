// Small data structures the other parts share.
export { Fifo } from './fifo.ts';
