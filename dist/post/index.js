import { runPost } from '../action/index.js';

await runPost();
