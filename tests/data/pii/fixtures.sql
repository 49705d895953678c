-- tests/data/pii/fixtures.sql - PII fixtures written for no test in
-- particular: the shapes of public sample databases (a sports statistics
-- database with camelCase names and split birth dates, an HR database with
-- date ranges and '9999-01-01' sentinels, a bank with a CHAR(6) birth
-- number and IBAN-less account numbers, German/Dutch/French customer tables,
-- addresses with latitude/longitude next to stores that have them too) and
-- columns that must not be flagged (product/genre/track names, file and host
-- names, order/ship/valid dates spread over decades). Truth: truth.tsv.
-- Build: sqlite3 fixtures.db < fixtures.sql (deterministic).
PRAGMA foreign_keys = ON;
CREATE TEMP TABLE n(i INTEGER PRIMARY KEY);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 300) INSERT INTO n SELECT i FROM c;
CREATE TEMP TABLE fn(k INTEGER PRIMARY KEY, v TEXT);
INSERT INTO fn(v) VALUES ('James'),('Mary'),('Robert'),('Patricia'),('John'),('Jennifer'),('Michael'),('Linda'),
 ('David'),('Elizabeth'),('William'),('Barbara'),('Richard'),('Susan'),('Joseph'),('Jessica'),('Thomas'),
 ('Sarah'),('Charles'),('Karen'),('Daniel'),('Nancy'),('Matthew'),('Betty'),('Anthony'),('Margaret'),('Mark'),
 ('Sandra'),('Donald'),('Ashley'),('Steven'),('Emily'),('Andrew'),('Donna'),('Joshua'),('Michelle');
CREATE TEMP TABLE ln(k INTEGER PRIMARY KEY, v TEXT);
INSERT INTO ln(v) VALUES ('Smith'),('Johnson'),('Williams'),('Brown'),('Jones'),('Garcia'),('Miller'),('Davis'),
 ('Rodriguez'),('Martinez'),('Hernandez'),('Lopez'),('Gonzalez'),('Wilson'),('Anderson'),('Taylor'),('Moore'),
 ('Jackson'),('Martin'),('Lee'),('Perez'),('Thompson'),('Harris'),('Sanchez'),('Clark'),('Ramirez'),('Lewis'),
 ('Robinson'),('Walker'),('Young'),('Allen'),('King'),('Wright'),('Scott'),('Torres'),('Nguyen'),('Hill');
CREATE TEMP TABLE ci(k INTEGER PRIMARY KEY, v TEXT);
INSERT INTO ci(v) VALUES ('Springfield'),('Riverside'),('Franklin'),('Greenville'),('Bristol'),('Clinton'),
 ('Fairview'),('Salem'),('Madison'),('Georgetown'),('Arlington'),('Ashland');

-- sports statistics (camelCase, split birth date, name-derived text key)
CREATE TABLE People (
  playerID TEXT PRIMARY KEY, birthYear INTEGER, birthMonth INTEGER, birthDay INTEGER,
  birthCountry TEXT, birthState TEXT, birthCity TEXT, nameFirst TEXT, nameLast TEXT,
  nameGiven TEXT, weight INTEGER, height INTEGER, bats CHAR(1), throws CHAR(1),
  debut TEXT, finalGame TEXT);
INSERT INTO People SELECT lower(substr(l.v, 1, 5) || substr(f.v, 1, 2)) || printf('%02d', n.i % 100),
  1940 + n.i * 7 % 60, 1 + n.i % 12, 1 + n.i % 28, 'USA', 'CA', c.v, f.v, l.v, f.v || ' ' || 'Lee',
  150 + n.i % 80, 65 + n.i % 15, substr('LRB', 1 + n.i % 3, 1), substr('LR', 1 + n.i % 2, 1),
  date('1960-04-01', '+' || (n.i * 4111 % 18000) || ' days'), date('1965-09-01', '+' || (n.i * 4111 % 18000) || ' days')
  FROM n JOIN fn f ON f.k = 1 + n.i % 36 JOIN ln l ON l.k = 1 + n.i * 7 % 37 JOIN ci c ON c.k = 1 + n.i % 12;
CREATE TABLE Teams (teamID TEXT PRIMARY KEY, name TEXT, park TEXT, lgID TEXT);
INSERT INTO Teams SELECT 'T' || i, 'Team ' || i, 'Park ' || i, 'AL' FROM n WHERE i <= 30;

-- HR (date ranges, sentinels, gender CHECK)
CREATE TABLE employees (emp_no INTEGER PRIMARY KEY, birth_date DATE NOT NULL, first_name VARCHAR(14) NOT NULL,
  last_name VARCHAR(16) NOT NULL, gender CHAR(1) NOT NULL CHECK (gender IN ('M', 'F')), hire_date DATE NOT NULL);
INSERT INTO employees SELECT 10000 + n.i, date('1952-02-01', '+' || (n.i * 4799 % 4700) || ' days'), f.v, l.v,
  substr('MF', 1 + n.i % 2, 1), date('1985-01-01', '+' || (n.i * 3001 % 5400) || ' days')
  FROM n JOIN fn f ON f.k = 1 + n.i % 36 JOIN ln l ON l.k = 1 + n.i * 3 % 37;
CREATE TABLE departments (dept_no CHAR(4) PRIMARY KEY, dept_name VARCHAR(40) NOT NULL UNIQUE);
INSERT INTO departments VALUES ('d001', 'Marketing'), ('d002', 'Finance'), ('d003', 'Human Resources');
CREATE TABLE dept_emp (emp_no INTEGER NOT NULL REFERENCES employees(emp_no), dept_no CHAR(4) NOT NULL REFERENCES departments(dept_no),
  from_date DATE NOT NULL, to_date DATE NOT NULL, PRIMARY KEY (emp_no, dept_no));
INSERT INTO dept_emp SELECT emp_no, 'd00' || (1 + emp_no % 3), hire_date,
  CASE WHEN emp_no % 3 = 0 THEN '9999-01-01' ELSE date(hire_date, '+' || (emp_no * 37 % 3000) || ' days') END FROM employees;
CREATE TABLE salaries (emp_no INTEGER NOT NULL REFERENCES employees(emp_no), salary INTEGER NOT NULL,
  from_date DATE NOT NULL, to_date DATE NOT NULL, PRIMARY KEY (emp_no, from_date));
INSERT INTO salaries SELECT emp_no, 40000 + emp_no % 5000 * 7, hire_date, date(hire_date, '+1 year') FROM employees;

-- bank (CHAR(6) birth number YYMMDD, +50 on the month for women; account numbers without IBAN)
CREATE TABLE client (client_id INTEGER PRIMARY KEY, birth_number CHAR(6) NOT NULL, district_id INTEGER NOT NULL);
INSERT INTO client SELECT i, printf('%02d%02d%02d', 30 + i * 7 % 60, 1 + i % 12 + (i % 2) * 50, 1 + i % 28), 1 + i % 77 FROM n;
CREATE TABLE account (account_id INTEGER PRIMARY KEY, district_id INTEGER NOT NULL, frequency TEXT NOT NULL, date DATE NOT NULL);
INSERT INTO account SELECT i, 1 + i % 77, 'POPLATEK MESICNE', date('1993-01-01', '+' || (i * 13 % 1800) || ' days') FROM n;
CREATE TABLE trans (trans_id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES account(account_id),
  date DATE NOT NULL, amount REAL NOT NULL, bank CHAR(2), partner_account_no VARCHAR(10));
INSERT INTO trans SELECT i, 1 + i % 300, date('1995-01-01', '+' || (i % 1000) || ' days'), i * 13.5 % 9000,
  substr('ABCDEFGHIJKLMNOP', 1 + i % 16, 1) || 'B', printf('%08d', i * 7919 * 31 % 100000000) FROM n;

-- German, Dutch and French customers
CREATE TABLE Kunden (KundenNr INTEGER PRIMARY KEY, Vorname TEXT, Nachname TEXT, Geburtsdatum DATE,
  Strasse TEXT, PLZ CHAR(5), Ort TEXT, Telefon TEXT, EMail TEXT, Geschlecht CHAR(1));
INSERT INTO Kunden SELECT i, f.v, l.v, date('1945-01-01', '+' || (i * 7919 % 21000) || ' days'), 'Hauptstrasse ' || i,
  printf('%05d', 10000 + i * 97 % 89999), c.v, '+49 30 ' || printf('%07d', i * 7919 % 9999999),
  lower(f.v) || '.' || lower(l.v) || '@example.de', substr('mw', 1 + i % 2, 1)
  FROM n JOIN fn f ON f.k = 1 + n.i % 36 JOIN ln l ON l.k = 1 + n.i * 5 % 37 JOIN ci c ON c.k = 1 + n.i % 12;
CREATE TABLE klanten (klant_id INTEGER PRIMARY KEY, voornaam TEXT, achternaam TEXT, geboortedatum TEXT,
  woonplaats TEXT, rekeningnummer TEXT, bsn CHAR(9), geslacht TEXT);
INSERT INTO klanten SELECT i, f.v, l.v, date('1950-06-01', '+' || (i * 6007 % 19000) || ' days'), c.v,
  printf('%010d', i * 104729 % 1000000000), '111222333', CASE i % 2 WHEN 0 THEN 'man' ELSE 'vrouw' END
  FROM n JOIN fn f ON f.k = 1 + n.i % 36 JOIN ln l ON l.k = 1 + n.i * 11 % 37 JOIN ci c ON c.k = 1 + n.i % 12;
CREATE TABLE clients_fr (id INTEGER PRIMARY KEY, prenom TEXT, nom_de_famille TEXT, date_de_naissance TEXT,
  ville TEXT, code_postal CHAR(5), sexe CHAR(1));
INSERT INTO clients_fr SELECT i, f.v, l.v, date('1948-03-01', '+' || (i * 5003 % 20000) || ' days'), c.v,
  printf('%05d', 75001 + i % 20), substr('HF', 1 + i % 2, 1)
  FROM n JOIN fn f ON f.k = 1 + n.i % 36 JOIN ln l ON l.k = 1 + n.i * 13 % 37 JOIN ci c ON c.k = 1 + n.i % 12;

-- users with abbreviations and text-stored birth dates
CREATE TABLE users (user_id INTEGER PRIMARY KEY, username VARCHAR(20) UNIQUE, FName VARCHAR(12), LName VARCHAR(12),
  given_name TEXT, surname TEXT, DOB VARCHAR(10), email VARCHAR(40), last_login TEXT, created_at TEXT);
INSERT INTO users SELECT i, lower(f.v) || i, f.v, l.v, f.v, l.v, date('1955-01-01', '+' || (i * 3581 % 18000) || ' days'),
  lower(f.v) || i || '@example.com', datetime('2024-01-01', '+' || i || ' hours'), datetime('2020-01-01', '+' || (i * 3) || ' days')
  FROM n JOIN fn f ON f.k = 1 + n.i % 36 JOIN ln l ON l.k = 1 + n.i * 17 % 37;

-- addresses with coordinates, and stores with coordinates (not personal)
CREATE TABLE customer_address (addr_id INTEGER PRIMARY KEY, address_line1 TEXT, city TEXT, postal_code TEXT,
  latitude REAL, longitude REAL);
INSERT INTO customer_address SELECT i, i || ' Main St', c.v, printf('%05d', 10000 + i * 31 % 89999),
  40 + (i * 37 % 1000) / 1000.0, -74 - (i * 53 % 1000) / 1000.0 FROM n JOIN ci c ON c.k = 1 + n.i % 12;
CREATE TABLE stores (store_id INTEGER PRIMARY KEY, store_name TEXT, lat REAL, lng REAL);
INSERT INTO stores SELECT i, 'Store ' || i, 40 + i / 100.0, -74 - i / 100.0 FROM n WHERE i <= 40;

-- not PII: products, genres, tracks, files and hosts, dates of events over decades
CREATE TABLE products (product_id INTEGER PRIMARY KEY, name TEXT, filename TEXT, category_name TEXT);
INSERT INTO products SELECT i, 'Widget ' || i, 'img_' || i || '.png', 'Tools' FROM n;
CREATE TABLE genre (genre_id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO genre SELECT i, 'Genre ' || i FROM n WHERE i <= 25;
CREATE TABLE track (track_id INTEGER PRIMARY KEY, name TEXT, composer TEXT);
INSERT INTO track SELECT i, 'Song ' || i, NULL FROM n;
CREATE TABLE servers (server_id INTEGER PRIMARY KEY, hostname TEXT, display_name TEXT);
INSERT INTO servers SELECT i, 'db' || i || '.internal', 'DB ' || i FROM n WHERE i <= 20;
CREATE TABLE contracts (contract_id INTEGER PRIMARY KEY, valid_from DATE, valid_to DATE, order_date DATE,
  ship_date DATE, signed_on DATE, d1 DATE);
INSERT INTO contracts SELECT i, date('1950-01-01', '+' || (i * 7919 % 25000) || ' days'),
  date('1950-01-01', '+' || (i * 7919 % 25000 + 400) || ' days'), date('1948-01-01', '+' || (i * 6007 % 26000) || ' days'),
  date('1948-01-01', '+' || (i * 6007 % 26000 + 5) || ' days'), date('1951-01-01', '+' || (i * 4801 % 24000) || ' days'),
  date('1940-01-01', '+' || ((i * i * 37 + i * 101) % 25000) || ' days') FROM n;

-- orders addressed to people (Northwind-style) next to a fleet of ships
CREATE TABLE Orders (OrderID INTEGER PRIMARY KEY, OrderDate TEXT, ShipName TEXT, ShipAddress TEXT,
  ShipCity TEXT, ShipPostalCode TEXT, cust_fname TEXT, card_no TEXT);
INSERT INTO Orders SELECT i, date('2020-01-01', '+' || i || ' days'), f.v || ' ' || l.v, i || ' Oak St', c.v,
  printf('%05d', 20000 + i), f.v, '4111111111111111' FROM n JOIN fn f ON f.k = 1 + n.i % 36
  JOIN ln l ON l.k = 1 + n.i * 19 % 37 JOIN ci c ON c.k = 1 + n.i % 12;
CREATE TABLE ships (ship_id INTEGER PRIMARY KEY, ship_name TEXT, tonnage INTEGER);
INSERT INTO ships SELECT i, 'MS Vessel ' || i, 1000 * i FROM n WHERE i <= 20;
