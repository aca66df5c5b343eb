module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'payment-provider-sim',
  rootDir: __dirname,
};
