exports.up = async function (knex) {
  await knex.schema.createTable("carts", (table) => table.increments());
};

// seeded: IL601
exports.down = async function (knex) {};
