/* cli/sampledb.c - build the demo shop database through the connector
 * interface (the same create/write path a job uses), with people data drawn
 * from the mock generators so it looks like production and is reproducible.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sampledb.h"
#include "../engine/gen/generators.h"
#include "../base/dp_rng.h"
#include "../base/dp_buf.h"
#include "../connectors/session.h"
#include "../connectors/connector.h"

/* One column of a sample table: name, declared type, NOT NULL, PK position. */
typedef struct scol {
	const char *name, *type;
	int notnull, pk;
	const char *mock;     /* mock kind filling it, or NULL (filled by code) */
} scol;

typedef struct stable {
	const char *name;
	const char *ddl;
	const scol *cols;
	const char *const *indexes;  /* CREATE INDEX statements, NULL-terminated */
} stable;

static const scol employee_cols[] = {
	{"employee_id", "INTEGER", 1, 1, NULL},
	{"first_name", "VARCHAR(40)", 1, 0, "first_name"},
	{"last_name", "VARCHAR(40)", 1, 0, "last_name"},
	{"email", "VARCHAR(120)", 1, 0, "email"},
	{"phone", "VARCHAR(24)", 0, 0, "phone"},
	{"birth_date", "DATE", 0, 0, "date_of_birth"},
	{"hire_date", "DATE", 1, 0, NULL},
	{"title", "VARCHAR(40)", 1, 0, NULL},
	{"manager_id", "INTEGER", 0, 0, NULL},
	{NULL, NULL, 0, 0, NULL}
};
static const char *const employee_idx[] = {
	"CREATE INDEX employees_manager ON employees(manager_id)", NULL
};

static const scol customer_cols[] = {
	{"customer_id", "INTEGER", 1, 1, NULL},
	{"first_name", "VARCHAR(40)", 1, 0, "first_name"},
	{"last_name", "VARCHAR(40)", 1, 0, "last_name"},
	{"email", "VARCHAR(120)", 1, 0, "email"},
	{"phone", "VARCHAR(24)", 0, 0, "phone"},
	{"street_address", "VARCHAR(120)", 0, 0, "street_address"},
	{"city", "VARCHAR(60)", 0, 0, "city"},
	{"postcode", "VARCHAR(12)", 0, 0, "postcode"},
	{"date_of_birth", "DATE", 0, 0, "date_of_birth"},
	{"created_at", "TIMESTAMP", 1, 0, NULL},
	{"support_rep_id", "INTEGER", 0, 0, NULL},
	{NULL, NULL, 0, 0, NULL}
};
static const char *const customer_idx[] = {
	"CREATE INDEX customers_email ON customers(email)",
	"CREATE INDEX customers_rep ON customers(support_rep_id)", NULL
};

static const scol product_cols[] = {
	{"product_id", "INTEGER", 1, 1, NULL},
	{"sku", "VARCHAR(16)", 1, 0, NULL},
	{"name", "VARCHAR(80)", 1, 0, NULL},
	{"category", "VARCHAR(30)", 1, 0, NULL},
	{"unit_price", "NUMERIC(10,2)", 1, 0, NULL},
	{"in_stock", "INTEGER", 1, 0, NULL},
	{NULL, NULL, 0, 0, NULL}
};
static const char *const product_idx[] = {
	"CREATE UNIQUE INDEX products_sku ON products(sku)", NULL
};

static const scol order_cols[] = {
	{"order_id", "INTEGER", 1, 1, NULL},
	{"customer_id", "INTEGER", 1, 0, NULL},
	{"employee_id", "INTEGER", 0, 0, NULL},
	{"order_date", "TIMESTAMP", 1, 0, NULL},
	{"status", "VARCHAR(12)", 1, 0, NULL},
	{"ship_street", "VARCHAR(120)", 0, 0, "street_address"},
	{"ship_city", "VARCHAR(60)", 0, 0, "city"},
	{"ship_postcode", "VARCHAR(12)", 0, 0, "postcode"},
	{NULL, NULL, 0, 0, NULL}
};
static const char *const order_idx[] = {
	"CREATE INDEX orders_customer ON orders(customer_id)",
	"CREATE INDEX orders_date ON orders(order_date)", NULL
};

static const scol item_cols[] = {
	{"order_id", "INTEGER", 1, 1, NULL},
	{"line_no", "INTEGER", 1, 2, NULL},
	{"product_id", "INTEGER", 1, 0, NULL},
	{"quantity", "INTEGER", 1, 0, NULL},
	{"unit_price", "NUMERIC(10,2)", 1, 0, NULL},
	{NULL, NULL, 0, 0, NULL}
};
static const char *const item_idx[] = {
	"CREATE INDEX order_items_product ON order_items(product_id)", NULL
};

static const scol payment_cols[] = {
	{"payment_id", "INTEGER", 1, 1, NULL},
	{"order_id", "INTEGER", 1, 0, NULL},
	{"amount", "NUMERIC(10,2)", 1, 0, NULL},
	{"method", "VARCHAR(16)", 1, 0, NULL},
	{"paid_at", "TIMESTAMP", 1, 0, NULL},
	{NULL, NULL, 0, 0, NULL}
};
static const char *const payment_idx[] = {
	"CREATE INDEX payments_order ON payments(order_id)", NULL
};

static const scol audit_cols[] = {
	{"log_id", "INTEGER", 1, 1, NULL},
	{"logged_at", "TIMESTAMP", 1, 0, NULL},
	{"employee_id", "INTEGER", 0, 0, NULL},
	{"action", "VARCHAR(30)", 1, 0, NULL},
	{"detail", "TEXT", 0, 0, NULL},
	{NULL, NULL, 0, 0, NULL}
};
static const char *const no_idx[] = { NULL };

/* Parents first: the file is written with FKs enforced. */
static const stable tables[] = {
	{"employees",
	 "CREATE TABLE employees (\n"
	 "  employee_id INTEGER PRIMARY KEY,\n"
	 "  first_name VARCHAR(40) NOT NULL,\n"
	 "  last_name VARCHAR(40) NOT NULL,\n"
	 "  email VARCHAR(120) NOT NULL,\n"
	 "  phone VARCHAR(24),\n"
	 "  birth_date DATE,\n"
	 "  hire_date DATE NOT NULL,\n"
	 "  title VARCHAR(40) NOT NULL,\n"
	 "  manager_id INTEGER REFERENCES employees(employee_id)\n"
	 ")", employee_cols, employee_idx},
	{"customers",
	 "CREATE TABLE customers (\n"
	 "  customer_id INTEGER PRIMARY KEY,\n"
	 "  first_name VARCHAR(40) NOT NULL,\n"
	 "  last_name VARCHAR(40) NOT NULL,\n"
	 "  email VARCHAR(120) NOT NULL,\n"
	 "  phone VARCHAR(24),\n"
	 "  street_address VARCHAR(120),\n"
	 "  city VARCHAR(60),\n"
	 "  postcode VARCHAR(12),\n"
	 "  date_of_birth DATE,\n"
	 "  created_at TIMESTAMP NOT NULL,\n"
	 "  support_rep_id INTEGER REFERENCES employees(employee_id)\n"
	 ")", customer_cols, customer_idx},
	{"products",
	 "CREATE TABLE products (\n"
	 "  product_id INTEGER PRIMARY KEY,\n"
	 "  sku VARCHAR(16) NOT NULL,\n"
	 "  name VARCHAR(80) NOT NULL,\n"
	 "  category VARCHAR(30) NOT NULL,\n"
	 "  unit_price NUMERIC(10,2) NOT NULL CHECK (unit_price >= 0),\n"
	 "  in_stock INTEGER NOT NULL\n"
	 ")", product_cols, product_idx},
	{"orders",
	 "CREATE TABLE orders (\n"
	 "  order_id INTEGER PRIMARY KEY,\n"
	 "  customer_id INTEGER NOT NULL REFERENCES customers(customer_id),\n"
	 "  employee_id INTEGER REFERENCES employees(employee_id),\n"
	 "  order_date TIMESTAMP NOT NULL,\n"
	 "  status VARCHAR(12) NOT NULL CHECK (status IN ('new','paid','shipped','delivered','cancelled')),\n"
	 "  ship_street VARCHAR(120),\n"
	 "  ship_city VARCHAR(60),\n"
	 "  ship_postcode VARCHAR(12)\n"
	 ")", order_cols, order_idx},
	{"order_items",
	 "CREATE TABLE order_items (\n"
	 "  order_id INTEGER NOT NULL REFERENCES orders(order_id),\n"
	 "  line_no INTEGER NOT NULL,\n"
	 "  product_id INTEGER NOT NULL REFERENCES products(product_id),\n"
	 "  quantity INTEGER NOT NULL CHECK (quantity > 0),\n"
	 "  unit_price NUMERIC(10,2) NOT NULL,\n"
	 "  PRIMARY KEY (order_id, line_no)\n"
	 ")", item_cols, item_idx},
	{"payments",
	 "CREATE TABLE payments (\n"
	 "  payment_id INTEGER PRIMARY KEY,\n"
	 "  order_id INTEGER NOT NULL REFERENCES orders(order_id),\n"
	 "  amount NUMERIC(10,2) NOT NULL,\n"
	 "  method VARCHAR(16) NOT NULL,\n"
	 "  paid_at TIMESTAMP NOT NULL\n"
	 ")", payment_cols, payment_idx},
	{"audit_log",
	 "CREATE TABLE audit_log (\n"
	 "  log_id INTEGER PRIMARY KEY,\n"
	 "  logged_at TIMESTAMP NOT NULL,\n"
	 "  employee_id INTEGER REFERENCES employees(employee_id),\n"
	 "  action VARCHAR(30) NOT NULL,\n"
	 "  detail TEXT\n"
	 ")", audit_cols, no_idx},
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

static const char *const titles[] = {
	"Sales Associate", "Sales Associate", "Sales Associate", "Support Agent",
	"Support Agent", "Warehouse Clerk", "Buyer", "Accountant", "Team Lead"
};
static const char *const categories[] = {
	"Kitchen", "Garden", "Office", "Toys", "Outdoor", "Bath", "Lighting", "Tools"
};
static const char *const adjectives[] = {
	"Classic", "Compact", "Deluxe", "Eco", "Folding", "Heavy-Duty", "Mini", "Modern",
	"Portable", "Premium", "Rustic", "Smart", "Vintage", "Wireless", "Everyday"
};
static const char *const nouns[] = {
	"Lamp", "Kettle", "Chair", "Planter", "Notebook", "Backpack", "Drill", "Towel Set",
	"Desk", "Blender", "Tent", "Puzzle", "Mug", "Shelf", "Hammock", "Clock"
};
static const char *const statuses[] = { "new", "paid", "shipped", "delivered", "cancelled" };
static const char *const methods[] = { "card", "card", "card", "paypal", "bank_transfer", "gift_card" };
static const char *const actions[] = {
	"login", "update_customer", "refund_order", "export_report", "change_price"
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

typedef struct sdb {
	const dp_connector *drv;
	dp_conn *c;
	dp_schema *schema;
	dp_rng rng;
	dp_job_key key;
	int scale;
	int64_t n_emp, n_cust, n_prod, n_ord, n_pay;
	double *order_total;   /* per order, for payments */
	dp_errbuf *eb;
	int64_t rows;
} sdb;

static int set_text(dp_batch *b, dp_value *v, const char *s)
{
	return dp_batch_set_text(b, v, s, strlen(s));
}

/* "YYYY-MM-DD" for a day offset from 2015-01-01. */
static void day_text(int64_t day, char *out, size_t n)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = 2015, m = 0;

	for (;;) {
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		int yd = 365 + leap;
		if (day < yd)
			break;
		day -= yd;
		y++;
	}
	for (;;) {
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		int md = mdays[m] + (m == 1 && leap);
		if (day < md)
			break;
		day -= md;
		m++;
	}
	snprintf(out, n, "%04d-%02d-%02d", y, m + 1, (int)day + 1);
}

static void ts_text(sdb *d, int64_t day, char *out, size_t n)
{
	char dt[16];
	day_text(day, dt, sizeof(dt));
	snprintf(out, n, "%s %02d:%02d:%02d", dt, (int)dp_rng_below(&d->rng, 14) + 8,
		 (int)dp_rng_below(&d->rng, 60), (int)dp_rng_below(&d->rng, 60));
}

static void money(double v, char *out, size_t n)
{
	snprintf(out, n, "%.2f", v);
}

/* Fill column `c` of row `row` of table `ti` (those without a mock). */
static int fill(sdb *d, size_t ti, int64_t row, size_t c, dp_batch *b, dp_value *v)
{
	char tmp[160];
	const char *col = tables[ti].cols[c].name;
	int64_t id = row + 1;

	switch (ti) {
	case 0: /* employees */
		if (!strcmp(col, "employee_id")) { dp_value_set_int(v, id); return 0; }
		if (!strcmp(col, "hire_date")) {
			day_text((int64_t)dp_rng_below(&d->rng, 3000), tmp, sizeof(tmp));
			return set_text(b, v, tmp);
		}
		if (!strcmp(col, "title"))
			return set_text(b, v, id == 1 ? "General Manager" : id <= 4 ? "Store Manager"
					: titles[dp_rng_below(&d->rng, NELEM(titles))]);
		if (!strcmp(col, "manager_id")) {
			/* a tree: the general manager, 3 store managers, staff under them */
			if (id == 1)
				dp_value_set_null(v);
			else if (id <= 4)
				dp_value_set_int(v, 1);
			else
				dp_value_set_int(v, 2 + (int64_t)dp_rng_below(&d->rng, 3));
			return 0;
		}
		break;
	case 1: /* customers */
		if (!strcmp(col, "customer_id")) { dp_value_set_int(v, id); return 0; }
		if (!strcmp(col, "created_at")) {
			ts_text(d, (int64_t)dp_rng_below(&d->rng, 3600), tmp, sizeof(tmp));
			return set_text(b, v, tmp);
		}
		if (!strcmp(col, "support_rep_id")) {
			if (dp_rng_below(&d->rng, 5) == 0)
				dp_value_set_null(v);
			else
				dp_value_set_int(v, 5 + (int64_t)dp_rng_below(&d->rng, (uint64_t)d->n_emp - 4));
			return 0;
		}
		break;
	case 2: /* products */
		if (!strcmp(col, "product_id")) { dp_value_set_int(v, id); return 0; }
		if (!strcmp(col, "sku")) {
			snprintf(tmp, sizeof(tmp), "SKU-%05" PRId64, 10000 + id * 7);
			return set_text(b, v, tmp);
		}
		if (!strcmp(col, "name")) {
			snprintf(tmp, sizeof(tmp), "%s %s", adjectives[dp_rng_below(&d->rng, NELEM(adjectives))],
				 nouns[dp_rng_below(&d->rng, NELEM(nouns))]);
			return set_text(b, v, tmp);
		}
		if (!strcmp(col, "category"))
			return set_text(b, v, categories[dp_rng_below(&d->rng, NELEM(categories))]);
		if (!strcmp(col, "unit_price")) {
			money(2.0 + (double)dp_rng_below(&d->rng, 30000) / 100.0, tmp, sizeof(tmp));
			return set_text(b, v, tmp);
		}
		if (!strcmp(col, "in_stock")) {
			dp_value_set_int(v, (int64_t)dp_rng_below(&d->rng, 500));
			return 0;
		}
		break;
	case 3: /* orders */
		if (!strcmp(col, "order_id")) { dp_value_set_int(v, id); return 0; }
		if (!strcmp(col, "customer_id")) {
			/* a few loyal customers order a lot */
			uint64_t n = (uint64_t)d->n_cust;
			uint64_t k = dp_rng_below(&d->rng, 4) == 0 ? dp_rng_below(&d->rng, n / 20 + 1)
								   : dp_rng_below(&d->rng, n);
			dp_value_set_int(v, (int64_t)k + 1);
			return 0;
		}
		if (!strcmp(col, "employee_id")) {
			if (dp_rng_below(&d->rng, 3) == 0)
				dp_value_set_null(v);   /* web orders */
			else
				dp_value_set_int(v, 5 + (int64_t)dp_rng_below(&d->rng, (uint64_t)d->n_emp - 4));
			return 0;
		}
		if (!strcmp(col, "order_date")) {
			ts_text(d, 200 + (int64_t)(row * 3400 / d->n_ord), tmp, sizeof(tmp));
			return set_text(b, v, tmp);
		}
		if (!strcmp(col, "status")) {
			uint64_t r = dp_rng_below(&d->rng, 100);
			return set_text(b, v, statuses[r < 5 ? 0 : r < 12 ? 1 : r < 25 ? 2 : r < 95 ? 3 : 4]);
		}
		break;
	case 6: /* audit_log */
		if (!strcmp(col, "log_id")) { dp_value_set_int(v, id); return 0; }
		if (!strcmp(col, "logged_at")) {
			ts_text(d, 3000 + (int64_t)(row * 600 / (200 * d->scale)), tmp, sizeof(tmp));
			return set_text(b, v, tmp);
		}
		if (!strcmp(col, "employee_id")) {
			dp_value_set_int(v, 1 + (int64_t)dp_rng_below(&d->rng, (uint64_t)d->n_emp));
			return 0;
		}
		if (!strcmp(col, "action"))
			return set_text(b, v, actions[dp_rng_below(&d->rng, NELEM(actions))]);
		if (!strcmp(col, "detail")) {
			snprintf(tmp, sizeof(tmp), "customer %" PRId64 " record viewed",
				 1 + (int64_t)dp_rng_below(&d->rng, (uint64_t)d->n_cust));
			return set_text(b, v, tmp);
		}
		break;
	}
	return dp_fail(d->eb, DP_ERR_INTERNAL, "sample database: no filler for %s.%s",
		       tables[ti].name, col);
}

static int flush(sdb *d, dp_writer *w, dp_batch *b)
{
	int rc = DP_OK;
	if (dp_batch_nrows(b)) {
		rc = d->drv->write_batch(w, b, d->eb);
		d->rows += (int64_t)dp_batch_nrows(b);
		dp_batch_reset(b);
	}
	return rc;
}

/* Simple tables: one row per id, columns from mocks or fill(). */
static int load_simple(sdb *d, size_t ti, int64_t nrows)
{
	dp_table *t = &d->schema->tables[ti];
	dp_gen *gens[16] = { NULL };
	dp_writer *w = NULL;
	dp_batch *b = dp_batch_new(t->ncols, 512);
	int rc = DP_OK;

	if (!b)
		return dp_fail(d->eb, DP_ERR_NOMEM, "out of memory");
	for (size_t c = 0; c < t->ncols && !rc; c++) {
		char spec[64];
		dp_gen_opts o;
		if (!tables[ti].cols[c].mock)
			continue;
		snprintf(spec, sizeof(spec), "mock:%s", tables[ti].cols[c].mock);
		memset(&o, 0, sizeof(o));
		o.spec = spec;
		o.consistent = 0;      /* per row: every customer is a different person */
		o.locale = "en";
		o.table = t->name;
		o.col = &t->cols[c];
		o.key = &d->key;
		rc = dp_gen_new(&o, &gens[c], d->eb);
	}
	if (!rc)
		rc = d->drv->write_open(d->c, t, 1, &w, d->eb);
	for (int64_t r = 0; r < nrows && !rc; r++) {
		dp_value *v = dp_batch_add_row(b);
		for (size_t c = 0; c < t->ncols && !rc; c++) {
			if (gens[c]) {
				dp_value in;
				in.kind = DP_V_TEXT;
				in.u.s = "sample";
				in.len = 6;
				rc = dp_gen_apply(gens[c], &in, (uint64_t)r, b, &v[c], d->eb);
				/* a few optional contact fields are missing, as in life */
				if (!rc && !t->cols[c].notnull && dp_rng_below(&d->rng, 12) == 0)
					dp_value_set_null(&v[c]);
			} else {
				rc = fill(d, ti, r, c, b, &v[c]);
			}
		}
		if (!rc && dp_batch_full(b))
			rc = flush(d, w, b);
	}
	if (!rc)
		rc = flush(d, w, b);
	if (w) {
		int wrc = d->drv->write_close(w, rc == DP_OK, d->eb);
		if (!rc)
			rc = wrc;
	}
	for (size_t c = 0; c < 16; c++)
		dp_gen_free(gens[c]);
	dp_batch_free(b);
	return rc;
}

/* order_items and payments: children of orders with their own shapes. */
static int load_items_and_payments(sdb *d)
{
	dp_table *ti = &d->schema->tables[4], *tp = &d->schema->tables[5];
	dp_writer *w = NULL;
	dp_batch *b = dp_batch_new(ti->ncols, 512);
	double *price = calloc((size_t)d->n_prod + 1, sizeof(double));
	char tmp[64];
	int rc = DP_OK;
	int64_t pay_id = 0;

	if (!b || !price) {
		rc = dp_fail(d->eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (int64_t p = 1; p <= d->n_prod; p++)
		price[p] = 2.0 + (double)dp_rng_below(&d->rng, 30000) / 100.0;
	rc = d->drv->write_open(d->c, ti, 1, &w, d->eb);
	for (int64_t o = 1; o <= d->n_ord && !rc; o++) {
		int lines = 1 + (int)dp_rng_below(&d->rng, 4);
		for (int l = 1; l <= lines && !rc; l++) {
			dp_value *v = dp_batch_add_row(b);
			int64_t prod = 1 + (int64_t)dp_rng_below(&d->rng, (uint64_t)d->n_prod);
			int64_t qty = 1 + (int64_t)(dp_rng_below(&d->rng, 10) == 0 ? dp_rng_below(&d->rng, 12) : 0);
			dp_value_set_int(&v[0], o);
			dp_value_set_int(&v[1], l);
			dp_value_set_int(&v[2], prod);
			dp_value_set_int(&v[3], qty);
			money(price[prod], tmp, sizeof(tmp));
			rc = set_text(b, &v[4], tmp);
			d->order_total[o] += price[prod] * (double)qty;
			if (!rc && dp_batch_full(b))
				rc = flush(d, w, b);
		}
	}
	if (!rc)
		rc = flush(d, w, b);
	if (w) {
		int wrc = d->drv->write_close(w, rc == DP_OK, d->eb);
		if (!rc)
			rc = wrc;
		w = NULL;
	}
	if (rc)
		goto out;
	dp_batch_free(b);
	b = dp_batch_new(tp->ncols, 512);
	if (!b) {
		rc = dp_fail(d->eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = d->drv->write_open(d->c, tp, 1, &w, d->eb);
	for (int64_t o = 1; o <= d->n_ord && !rc; o++) {
		/* ~7% unpaid; a few paid in two instalments */
		int n = dp_rng_below(&d->rng, 100) < 7 ? 0 : dp_rng_below(&d->rng, 20) == 0 ? 2 : 1;
		for (int k = 0; k < n && !rc; k++) {
			dp_value *v = dp_batch_add_row(b);
			dp_value_set_int(&v[0], ++pay_id);
			dp_value_set_int(&v[1], o);
			money(d->order_total[o] / n, tmp, sizeof(tmp));
			rc = set_text(b, &v[2], tmp);
			if (!rc)
				rc = set_text(b, &v[3], methods[dp_rng_below(&d->rng, NELEM(methods))]);
			if (!rc) {
				ts_text(d, 200 + (o * 3400 / d->n_ord) + k * 30, tmp, sizeof(tmp));
				rc = set_text(b, &v[4], tmp);
			}
			if (!rc && dp_batch_full(b))
				rc = flush(d, w, b);
		}
	}
	if (!rc)
		rc = flush(d, w, b);
	if (w) {
		int wrc = d->drv->write_close(w, rc == DP_OK, d->eb);
		if (!rc)
			rc = wrc;
	}
out:
	dp_batch_free(b);
	free(price);
	return rc;
}

static int build_schema(sdb *d)
{
	for (size_t ti = 0; ti < NTABLES; ti++) {
		dp_table *t;
		int rc = dp_schema_add_table(d->schema, tables[ti].name, &t);
		if (rc)
			return dp_fail(d->eb, rc, "out of memory");
		for (const scol *sc = tables[ti].cols; sc->name; sc++) {
			dp_column *col;
			if (dp_table_add_column(t, sc->name, sc->type, &col))
				return dp_fail(d->eb, DP_ERR_NOMEM, "out of memory");
			dp_classify_type(sc->type, col);
			col->notnull = sc->notnull;
			col->pk_pos = sc->pk;
		}
		if (dp_table_finish_pk(t))
			return dp_fail(d->eb, DP_ERR_NOMEM, "out of memory");
		t->create_sql = dp_strdup(tables[ti].ddl);
		if (!t->create_sql)
			return dp_fail(d->eb, DP_ERR_NOMEM, "out of memory");
		for (const char *const *ix = tables[ti].indexes; *ix; ix++) {
			/* "CREATE [UNIQUE ]INDEX name ON ..." */
			char name[64];
			const char *p = strstr(*ix, "INDEX ") + 6;
			size_t n = strcspn(p, " ");
			snprintf(name, sizeof(name), "%.*s", (int)n, p);
			if (dp_table_add_index(t, name, strstr(*ix, "UNIQUE") != NULL, 0, NULL, *ix))
				return dp_fail(d->eb, DP_ERR_NOMEM, "out of memory");
		}
	}
	d->schema->engine = dp_strdup("sqlite");
	return d->schema->engine ? DP_OK : dp_fail(d->eb, DP_ERR_NOMEM, "out of memory");
}

int dp_sampledb_create(const char *path, uint64_t seed, int scale,
		       dp_sampledb_stats *stats, dp_errbuf *eb)
{
	sdb d;
	dp_conn_cfg cfg;
	int rc;

	memset(&d, 0, sizeof(d));
	memset(&cfg, 0, sizeof(cfg));
	if (scale < 1)
		scale = 1;
	d.drv = &dp_sqlite_connector;
	d.eb = eb;
	d.scale = scale;
	dp_rng_seed_u64(&d.rng, seed);
	dp_job_key_from_seed((int64_t)seed, &d.key);
	d.n_emp = 40;
	d.n_cust = 1500 * (int64_t)scale;
	d.n_prod = 200;
	d.n_ord = 3000 * (int64_t)scale;
	d.order_total = calloc((size_t)d.n_ord + 1, sizeof(double));
	if (!d.order_total)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	d.schema = calloc(1, sizeof(*d.schema));
	if (!d.schema) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = build_schema(&d);
	if (rc)
		goto out;
	cfg.connector_type = (char *)"sqlite";
	cfg.database = (char *)path;
	rc = dp_session_open(&cfg, DP_ROLE_TARGET, "demo database", &d.drv, &d.c, eb);
	if (!rc) {
		dp_stage_opts so = { .job = "demo database" };
		rc = d.drv->stage_begin(d.c, &so, eb);
	}
	if (!rc)
		rc = d.drv->set_fk_enforcement(d.c, 1, eb);
	for (size_t ti = 0; ti < NTABLES && !rc; ti++)
		rc = d.drv->create(d.c, &d.schema->tables[ti], DP_DDL_TABLE, "sqlite", eb);
	if (!rc)
		rc = load_simple(&d, 0, d.n_emp);
	if (!rc)
		rc = load_simple(&d, 1, d.n_cust);
	if (!rc)
		rc = load_simple(&d, 2, d.n_prod);
	if (!rc)
		rc = load_simple(&d, 3, d.n_ord);
	if (!rc)
		rc = load_items_and_payments(&d);
	if (!rc)
		rc = load_simple(&d, 6, 200 * (int64_t)scale);
	for (size_t ti = 0; ti < NTABLES && !rc; ti++)
		rc = d.drv->create(d.c, &d.schema->tables[ti], DP_DDL_INDEXES, "sqlite", eb);
	if (!rc) {
		int64_t nv = 0;
		dp_buf detail = DP_BUF_INIT;
		rc = d.drv->fk_violations(d.c, &nv, &detail, eb);
		if (!rc && nv)
			rc = dp_fail(eb, DP_ERR_INTERNAL, "sample database has %" PRId64
				     " FK violations: %s", nv, dp_buf_str(&detail));
		dp_buf_free(&detail);
	}
	if (!rc)
		rc = d.drv->finish(d.c, 1, eb);
	else if (d.c) {
		dp_errbuf ignore;
		dp_errbuf_clear(&ignore);
		(void)d.drv->finish(d.c, 0, &ignore);
	}
	if (!rc && stats) {
		stats->tables = (int64_t)NTABLES;
		stats->rows = d.rows;
	}
out:
	if (d.c)
		dp_session_close(d.drv, d.c);
	dp_schema_free(d.schema);
	free(d.order_total);
	return rc;
}
