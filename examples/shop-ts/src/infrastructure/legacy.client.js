module.exports = { send: async (message) => message };
