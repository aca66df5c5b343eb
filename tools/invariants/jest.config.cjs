module.exports = { ...require('../../jest.preset.js'), displayName: 'invariants', rootDir: __dirname };
