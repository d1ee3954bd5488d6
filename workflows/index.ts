/** The workflows this worker runs. */
export { ppksCase } from './case.js';
