// The one bundle both steps load (dist/action/index.js): main and post share its code and size.
export { runMain } from './run-main.js';
export { runPost } from './run-post.js';
