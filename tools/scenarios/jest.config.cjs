module.exports = { ...require('../../jest.preset.js'), displayName: 'scenarios', rootDir: __dirname };
