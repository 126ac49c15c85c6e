// The entry ncc bundles: a .cjs entry makes it emit CommonJS, which Node loads without its ESM
// loader (about 2 ms less per step). The code itself is the ES modules under src/.
module.exports = require('./action.ts');
