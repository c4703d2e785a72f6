export { now, type Clock } from './clock.ts';
export { spinningClock, timerClock } from './real-clocks.ts';
