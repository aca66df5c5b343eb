module.exports = { ...require('../../jest.preset.js'), displayName: 'auth-lib', rootDir: __dirname };
