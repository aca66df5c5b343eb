module.exports = { ...require('../../jest.preset.js'), displayName: 'dlq', rootDir: __dirname };
