-- tests/data/torture/pg_torture.sql - a PostgreSQL schema written for the
-- fidelity tests (tests/integration/test_fidelity_pg.sh): every column type,
-- every index kind, types, views, a materialized view, a trigger, functions,
-- a procedure, generated and identity columns, sequences, collations, keys
-- over text, a self-reference, an FK cycle, partitions, checks, comments,
-- a policy. Loaded into a database of its own, schema public.

CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE DOMAIN email_t AS text COLLATE "C" NOT NULL CHECK (VALUE LIKE '%@%');
CREATE TYPE address AS (street text, city varchar(40), zip char(5));
CREATE DOMAIN stamp AS timestamp with time zone DEFAULT '2020-02-02 02:02:02+00' NOT NULL;

CREATE SEQUENCE ticket_seq START 1000 INCREMENT 7 MINVALUE 1 MAXVALUE 9999999 CACHE 1;
SELECT setval('ticket_seq', 4242);
CREATE SEQUENCE spare_seq AS smallint START 5 CYCLE;

-- every column type of the engine
CREATE TABLE all_types (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	c_int2 smallint NOT NULL DEFAULT 2,
	c_int4 integer,
	c_int8 bigint,
	c_num numeric(12,3) CHECK (c_num >= 0),
	c_numany numeric,
	c_real real,
	c_double double precision,
	c_money money,
	c_text text DEFAULT 'hello',
	c_varchar varchar(20),
	c_char char(4),
	c_bytea bytea,
	c_bool boolean DEFAULT true,
	c_date date DEFAULT CURRENT_DATE,
	c_time time(3),
	c_timetz time with time zone,
	c_ts timestamp,
	c_tstz timestamp with time zone DEFAULT now(),
	c_interval interval,
	c_uuid uuid,
	c_json json,
	c_jsonb jsonb,
	c_xml xml,
	c_inet inet,
	c_cidr cidr,
	c_macaddr macaddr,
	c_bit bit(8),
	c_varbit bit varying(16),
	c_int4range int4range,
	c_tsrange tsrange,
	c_intarr integer[],
	c_textarr text[],
	c_tsv tsvector,
	c_point point,
	c_line line,
	c_box box,
	c_polygon polygon,
	c_circle circle,
	c_mood mood DEFAULT 'ok',
	c_moods mood[],
	c_posint posint,
	c_stamp stamp,
	c_email email_t,
	c_collc text COLLATE "C",
	c_colicu text COLLATE "de-x-icu",
	c_total numeric GENERATED ALWAYS AS (coalesce(c_num, 0) * 2) STORED,
	c_ticket integer DEFAULT nextval('ticket_seq'),
	CONSTRAINT all_types_range CHECK (c_int4 IS NULL OR c_int4 BETWEEN -1000000 AND 1000000)
);
COMMENT ON TABLE all_types IS 'one column of every type';
COMMENT ON COLUMN all_types.c_mood IS 'an enum column';
COMMENT ON COLUMN all_types.c_colicu IS 'German ICU collation';

-- every index kind
CREATE INDEX all_types_btree ON all_types (c_int4);
CREATE UNIQUE INDEX all_types_uuid_key ON all_types (c_uuid);
CREATE INDEX all_types_partial ON all_types (c_int8) WHERE c_bool;
CREATE INDEX all_types_expr ON all_types (lower(c_text));
CREATE INDEX all_types_hash ON all_types USING hash (c_varchar);
CREATE INDEX all_types_gin ON all_types USING gin (c_jsonb);
CREATE INDEX all_types_tsv ON all_types USING gin (c_tsv);
CREATE INDEX all_types_gist ON all_types USING gist (c_box);
CREATE INDEX all_types_brin ON all_types USING brin (c_ts);
CREATE INDEX all_types_multi ON all_types (c_int2, c_date DESC NULLS LAST);
CREATE INDEX all_types_cover ON all_types (c_int4) INCLUDE (c_text);
CREATE INDEX all_types_coll ON all_types (c_colicu COLLATE "C");

INSERT INTO all_types (c_int2, c_int4, c_int8, c_num, c_numany, c_real, c_double, c_money, c_text,
	c_varchar, c_char, c_bytea, c_bool, c_date, c_time, c_timetz, c_ts, c_tstz, c_interval, c_uuid,
	c_json, c_jsonb, c_xml, c_inet, c_cidr, c_macaddr, c_bit, c_varbit, c_int4range, c_tsrange,
	c_intarr, c_textarr, c_tsv, c_point, c_line, c_box, c_polygon, c_circle, c_mood, c_moods,
	c_posint, c_email, c_collc, c_colicu, c_ticket)
SELECT (i % 100)::smallint, i * 3 - 50, i::bigint * 1000000007, i * 1.125, 1e20 + i, i / 7.0,
	i / 3.0, (i * 1.5)::numeric::money, 'text ' || i || E'\ttab\nnewline\\back', 'v' || i,
	'c' || (i % 10), decode(lpad(to_hex(i), 8, '0'), 'hex') || '\x00ff'::bytea, i % 2 = 0,
	date '2020-01-01' + i, time '12:34:56.789' + i * interval '1 minute', timetz '10:00:00+02',
	timestamp '2021-06-01 08:00:00' + i * interval '1 hour 7 seconds',
	timestamptz '2021-06-01 08:00:00+00' + i * interval '1 day', i * interval '1 day 2 hours',
	md5(i::text)::uuid, json_build_object('i', i, 'name', 'n' || i),
	jsonb_build_object('i', i, 'tags', jsonb_build_array('a', i)), xmlelement(name row, i),
	('10.0.' || (i % 250) || '.1')::inet, ('192.168.' || (i % 250) || '.0/24')::cidr,
	('08:00:2b:01:02:' || lpad(to_hex(i % 256), 2, '0'))::macaddr, (i % 256)::bit(8),
	(i % 1000)::bit(10)::varbit, int4range(i, i + 10), tsrange('2020-01-01', '2020-01-01'::timestamp + i * interval '1 day'),
	ARRAY[i, i + 1, NULL], ARRAY['a' || i, 'quote"' || i, NULL], to_tsvector('simple', 'word' || i || ' other'),
	point(i, -i), line(point(0, 0), point(1, i + 1)), box(point(i, i), point(i + 2, i + 3)),
	polygon(box(point(0, 0), point(i, i))), circle(point(i, i), i + 1),
	(ARRAY['sad', 'ok', 'happy'])[1 + i % 3]::mood, ARRAY['sad', 'happy']::mood[], i, 'user' || i || '@example.org',
	CASE WHEN i % 2 = 0 THEN 'Zebra' || i ELSE 'apfel' || i END, CASE WHEN i % 3 = 0 THEN 'Äpfel' || i ELSE 'Zucker' || i END,
	nextval('ticket_seq')
FROM generate_series(1, 40) i;
INSERT INTO all_types (c_int2, c_email) VALUES (0, 'nulls@example.org');

-- a composite type as a column: in a schema of its own, cloned on its own
-- (doppel's type mapping refuses composite columns, see the test)
CREATE SCHEMA side;
CREATE TABLE side.places (id int PRIMARY KEY, addr public.address, moods public.mood[] NOT NULL DEFAULT '{}');
INSERT INTO side.places SELECT i, ROW('Main st ' || i, 'Town' || i, lpad(i::text, 5, '0'))::public.address, '{ok}'
FROM generate_series(1, 5) i;

-- composite primary key over text, with a collation
CREATE TABLE country (code char(2) PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE region (
	country char(2) NOT NULL REFERENCES country ON UPDATE CASCADE,
	region_code varchar(8) COLLATE "C" NOT NULL,
	label text,
	PRIMARY KEY (country, region_code)
);
CREATE TABLE city (
	id serial PRIMARY KEY,
	country char(2) NOT NULL,
	region_code varchar(8) NOT NULL,
	name text NOT NULL,
	FOREIGN KEY (country, region_code) REFERENCES region (country, region_code) ON DELETE CASCADE
);
INSERT INTO country VALUES ('NL', 'Netherlands'), ('DE', 'Germany'), ('FR', 'France');
INSERT INTO region VALUES ('NL', 'NH', 'Noord-Holland'), ('NL', 'ZH', 'Zuid-Holland'), ('DE', 'BY', 'Bayern'),
	('FR', 'IDF', 'Ile-de-France');
INSERT INTO city (country, region_code, name) VALUES ('NL', 'NH', 'Amsterdam'), ('NL', 'ZH', 'Rotterdam'),
	('DE', 'BY', 'München'), ('FR', 'IDF', 'Paris');

-- a self-reference
CREATE TABLE employee (
	id integer GENERATED BY DEFAULT AS IDENTITY (START WITH 10 INCREMENT BY 5) PRIMARY KEY,
	name text NOT NULL,
	manager_id integer REFERENCES employee (id),
	city_id integer REFERENCES city,
	salary numeric(10,2) CHECK (salary > 0),
	CHECK (manager_id IS DISTINCT FROM id)
);
INSERT INTO employee (name, manager_id, city_id, salary) VALUES ('boss', NULL, 1, 9000);
INSERT INTO employee (name, manager_id, city_id, salary)
SELECT 'worker ' || i, 10, 1 + i % 4, 1000 + i FROM generate_series(1, 20) i;

-- a two-table FK cycle
CREATE TABLE team (id int PRIMARY KEY, name text NOT NULL, lead_id int);
CREATE TABLE member (id int PRIMARY KEY, team_id int NOT NULL REFERENCES team, name text);
ALTER TABLE team ADD CONSTRAINT team_lead_fk FOREIGN KEY (lead_id) REFERENCES member DEFERRABLE INITIALLY DEFERRED;
BEGIN;
INSERT INTO team VALUES (1, 'red', 11), (2, 'blue', 21);
INSERT INTO member VALUES (11, 1, 'ann'), (12, 1, 'bob'), (21, 2, 'cy');
COMMIT;

-- a partitioned table with two partitions
CREATE TABLE measurement (
	id int NOT NULL,
	taken date NOT NULL,
	value double precision,
	PRIMARY KEY (id, taken)
) PARTITION BY RANGE (taken);
CREATE TABLE measurement_2023 PARTITION OF measurement FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE measurement_2024 PARTITION OF measurement FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO measurement SELECT i, date '2023-06-01' + i * 10, i * 0.5 FROM generate_series(1, 40) i;

-- a trigger with its function, and the side table it writes
CREATE TABLE audit (id serial PRIMARY KEY, tbl text NOT NULL, op text NOT NULL, at timestamptz DEFAULT now());
INSERT INTO audit (tbl, op, at) VALUES ('seed', 'INSERT', '2020-01-01 00:00:00+00');
CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO audit (tbl, op) VALUES (TG_TABLE_NAME, TG_OP);
	RETURN NEW;
END
$$;
CREATE TRIGGER employee_audit AFTER INSERT OR UPDATE ON employee FOR EACH ROW EXECUTE FUNCTION audit_row();
CREATE TRIGGER member_audit BEFORE INSERT ON member FOR EACH ROW WHEN (NEW.name IS NOT NULL)
	EXECUTE FUNCTION audit_row();

-- functions and a procedure
CREATE FUNCTION add_tax(amount numeric, rate numeric DEFAULT 0.21) RETURNS numeric
	LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT round(amount * (1 + rate), 2) $$;
CREATE FUNCTION team_size(t int) RETURNS bigint LANGUAGE sql STABLE
	RETURN (SELECT count(*) FROM member WHERE team_id = t);
CREATE FUNCTION make_address(s text, c text) RETURNS address LANGUAGE sql
	AS $$ SELECT ROW(s, c, '00000')::address $$;
CREATE PROCEDURE raise_all(pct numeric) LANGUAGE plpgsql AS $$
BEGIN
	UPDATE employee SET salary = salary * (1 + pct / 100);
END
$$;
COMMENT ON FUNCTION add_tax(numeric, numeric) IS 'price with VAT';

-- views, a view on a view, a materialized view
CREATE VIEW employee_city AS
	SELECT e.id, e.name, c.name AS city, add_tax(e.salary) AS gross FROM employee e LEFT JOIN city c ON c.id = e.city_id;
CREATE VIEW rich_employee AS SELECT * FROM employee_city WHERE gross > 1015 WITH CHECK OPTION;
CREATE MATERIALIZED VIEW team_stats AS
	SELECT t.id, t.name, count(m.id) AS members FROM team t LEFT JOIN member m ON m.team_id = t.id GROUP BY t.id, t.name;
CREATE UNIQUE INDEX team_stats_id ON team_stats (id);
COMMENT ON VIEW employee_city IS 'employees with their city';

-- row-level security
ALTER TABLE member ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_own_team ON member FOR SELECT USING (team_id > 0);

-- an index on a text key with an operator class
CREATE INDEX city_name_pattern ON city (name text_pattern_ops);

-- privileges others hold
GRANT SELECT ON country TO PUBLIC;
GRANT SELECT, INSERT ON audit TO PUBLIC;
GRANT USAGE ON SEQUENCE ticket_seq TO PUBLIC;

-- an exclusion constraint, an FK declared on a partition only
CREATE TABLE booking (id int PRIMARY KEY, during tsrange NOT NULL, EXCLUDE USING gist (during WITH &&));
INSERT INTO booking SELECT i, tsrange(timestamp '2024-01-01' + i * interval '1 day',
	timestamp '2024-01-01' + (i + 1) * interval '1 day') FROM generate_series(1, 10) i;
ALTER TABLE measurement_2024 ADD CONSTRAINT measurement_2024_all_types_fk FOREIGN KEY (id) REFERENCES all_types (id);

-- routines of a table's and of a view's row type, an aggregate
CREATE FUNCTION employees_in(c int) RETURNS SETOF employee LANGUAGE sql STABLE
	AS $$ SELECT * FROM employee WHERE city_id = c $$;
CREATE FUNCTION rich_names() RETURNS SETOF rich_employee LANGUAGE sql STABLE AS $$ SELECT * FROM rich_employee $$;
CREATE AGGREGATE text_cat(text) (SFUNC = textcat, STYPE = text, INITCOND = '');
CREATE VIEW city_names AS SELECT country, text_cat(name || ' ') AS names FROM city GROUP BY country;

-- comments beyond tables and columns, and things doppel lists as not carried
COMMENT ON INDEX all_types_gin IS 'jsonb lookups';
COMMENT ON CONSTRAINT all_types_range ON all_types IS 'sane range';
COMMENT ON CONSTRAINT posint_check ON DOMAIN posint IS 'positive';
COMMENT ON TRIGGER employee_audit ON employee IS 'audit trail';
COMMENT ON POLICY member_own_team ON member IS 'teams only';
COMMENT ON TYPE mood IS 'how it feels';
CREATE RULE audit_no_delete AS ON DELETE TO audit DO INSTEAD NOTHING;
ALTER TABLE booking SET (fillfactor = 70);
CREATE INDEX measurement_2023_value ON measurement_2023 (value);
ALTER TABLE measurement_2024 ADD CONSTRAINT measurement_2024_positive CHECK (value > 0);
