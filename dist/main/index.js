import { runMain } from '../action/index.js';

await runMain();
