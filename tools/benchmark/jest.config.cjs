module.exports = { ...require('../../jest.preset.js'), displayName: 'benchmark', rootDir: __dirname };
