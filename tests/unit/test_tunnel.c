/* tests/unit/test_tunnel.c - the SSH tunnel without a server: the engine
 * file's SSHTunnel fields, fingerprints, and the errors of a tunnel that
 * cannot start (each names the tunnel; nothing is left running). The tunnel
 * against a real sshd: tests/integration/test_tunnel.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include "settings/engine_file.h"
#include "connectors/session.h"
#include "tunnel/ssh.h"

#define TGT "\"target\": {\"connector_type\": \"sqlite\", \"database\": \"/tmp/t.db\"}"
#define PGSRC(hook) "{\"source\": {\"connector_type\": \"postgresql\", \"host\": \"db\", " \
	"\"hooks_params\": {\"SSHTunnel\": {" hook "}}}, " TGT "}"

static int parse(const char *json, dp_job_cfg **j, dp_errbuf *eb)
{
	dp_errbuf_clear(eb);
	*j = NULL;
	return dp_engine_parse(json, strlen(json), "/base", j, eb);
}

static void test_fields(void **st)
{
	dp_job_cfg *j;
	dp_errbuf eb;
	const dp_ssh_cfg *s;

	(void)st;
	setenv("DP_TEST_KEY_PASS", "pass-from-env", 1);
	assert_int_equal(parse(PGSRC("\"host\": \"bastion\", \"username\": \"ops\", "
				     "\"private_key_file\": \"keys/id\", \"private_key_password_env\": \"DP_TEST_KEY_PASS\", "
				     "\"known_hosts_file\": \"~/kh\", \"local_port\": 15432, "
				     "\"host_key_fingerprint\": \"SHA256:f8PI0WOu+ssObPhGCRClfeZipEieNogBENKHRS9DNTw\""),
			       &j, &eb), 0);
	s = &j->source.ssh;
	assert_true(s->enabled);
	assert_string_equal(s->host, "bastion");
	assert_int_equal(s->port, 22);
	assert_string_equal(s->username, "ops");
	assert_string_equal(s->private_key_file, "/base/keys/id");   /* relative to the engine file */
	assert_string_equal(s->known_hosts_file, "~/kh");            /* the tunnel expands ~ */
	assert_string_equal(s->private_key_password, "pass-from-env");
	assert_int_equal(s->local_port, 15432);
	dp_job_cfg_free(j);
}

static void test_rejections(void **st)
{
	static const struct { const char *hook, *want; } cases[] = {
		{ "\"port\": 22", "SSHTunnel.host: missing" },
		{ "\"host\": \"b\", \"private_key_password\": \"x\"", "private_key_password: there is no private_key_file" },
		{ "\"host\": \"b\", \"host_key_fingerprint\": \"MD5:aa:bb\"", "host_key_fingerprint: expected" },
		{ "\"host\": \"b\", \"host_key_fingerprint\": \"SHA256:short\"", "host_key_fingerprint: expected" },
		{ "\"host\": \"b\", \"keyfile\": \"x\"", "SSHTunnel.keyfile: unknown field" },
		{ "\"host\": \"b\", \"local_port\": 70000", "local_port: expected an integer in 1..65535" },
	};
	char buf[1024];
	dp_job_cfg *j;
	dp_errbuf eb;

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(buf, sizeof(buf), "{\"source\": {\"connector_type\": \"postgresql\", \"host\": \"db\", "
			 "\"hooks_params\": {\"SSHTunnel\": {%s}}}, " TGT "}", cases[i].hook);
		assert_int_equal(parse(buf, &j, &eb), DP_ERR_CONFIG);
		if (!strstr(eb.msg, cases[i].want))
			fail_msg("case %zu: \"%s\" does not contain \"%s\"", i, eb.msg, cases[i].want);
	}
}

static void test_fingerprint(void **st)
{
	/* "abc": SHA-256 ba7816bf...; base64 without padding, as ssh-keygen -l */
	char fp[80];

	(void)st;
	dp_tunnel_fingerprint((const unsigned char *)"abc", 3, fp, sizeof(fp));
	assert_string_equal(fp, "SHA256:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0");
}

/* a loopback port nothing listens on */
static int closed_port(void)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &l), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static void test_unreachable(void **st)
{
	dp_tunnel_cfg c;
	dp_tunnel *t = NULL;
	dp_errbuf eb;
	char want[128];

	(void)st;
	memset(&c, 0, sizeof(c));
	c.host = "127.0.0.1";
	c.port = closed_port();
	c.username = "ops";
	c.password = "never-shown";
	c.remote_host = "db";
	c.remote_port = 5432;
	c.which = "source";
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_tunnel_acquire(&c, &t, &eb), DP_ERR_CONNECT);
	assert_null(t);
	snprintf(want, sizeof(want), "SSH tunnel ops@127.0.0.1:%d to db:5432 (source): cannot connect", c.port);
	if (!strstr(eb.msg, want))
		fail_msg("\"%s\" does not contain \"%s\"", eb.msg, want);
	assert_null(strstr(eb.msg, "never-shown"));
	assert_int_equal(dp_tunnel_count(), 0);
}

/* the session-open path: SSHTunnel on a connector that cannot use it */
static void test_session_refuses_sqlite(void **st)
{
	dp_conn_cfg c;
	const dp_connector *d;
	dp_conn *conn;
	dp_errbuf eb;

	(void)st;
	memset(&c, 0, sizeof(c));
	c.connector_type = "sqlite";
	c.database = "/nonexistent.db";
	c.ssh.enabled = 1;
	c.ssh.host = "b";
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_session_open(&c, DP_ROLE_SOURCE, "source", &d, &conn, &eb), DP_ERR_UNSUPPORTED);
	assert_null(conn);
	assert_non_null(strstr(eb.msg, "cannot go through an SSH tunnel"));
	dp_session_close(d, NULL);   /* NULL is fine */
}

static int count_dir(const char *path)
{
	char cmd[128];
	FILE *f;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls %s | wc -l", path);
	f = popen(cmd, "r");
	if (f && fscanf(f, "%d", &n) != 1)
		n = -1;
	if (f)
		pclose(f);
	return n;
}

/* With a real sshd and PostgreSQL (tests/integration/test_tunnel.sh sets
 * DP_TEST_SSH_*): 20 tunnels in a row, each carrying 4 connections at once
 * (a PostgreSQL SSLRequest each, answered by one byte), leave no descriptor
 * and no thread behind. Skipped without them. */
static void test_tunnels_in_a_row(void **st)
{
	const char *port = getenv("DP_TEST_SSH_PORT"), *pgport = getenv("DP_TEST_PG_PORT");
	int fds0 = 0, tasks0 = 0;

	(void)st;
	if (!port || !pgport)
		skip();
	for (int round = 0; round < 21; round++) {
		dp_tunnel_cfg c;
		dp_tunnel *t = NULL;
		dp_errbuf eb;
		int s[4];
		memset(&c, 0, sizeof(c));
		c.host = "127.0.0.1";
		c.port = atoi(port);
		c.private_key_file = getenv("DP_TEST_SSH_KEY");
		c.known_hosts_file = getenv("DP_TEST_SSH_KNOWN_HOSTS");
		c.remote_host = "127.0.0.1";
		c.remote_port = atoi(pgport);
		c.which = "test";
		dp_errbuf_clear(&eb);
		if (dp_tunnel_acquire(&c, &t, &eb))
			fail_msg("round %d: %s", round, eb.msg);
		for (int i = 0; i < 4; i++) {
			struct sockaddr_in a;
			memset(&a, 0, sizeof(a));
			a.sin_family = AF_INET;
			a.sin_port = htons((uint16_t)dp_tunnel_local_port(t));
			inet_pton(AF_INET, dp_tunnel_local_host(t), &a.sin_addr);
			s[i] = socket(AF_INET, SOCK_STREAM, 0);
			assert_int_equal(connect(s[i], (struct sockaddr *)&a, sizeof(a)), 0);
			assert_int_equal(write(s[i], "\0\0\0\x08\x04\xd2\x16\x2f", 8), 8);
		}
		for (int i = 0; i < 4; i++) {
			char b = 0;
			assert_int_equal(read(s[i], &b, 1), 1);
			assert_true(b == 'N' || b == 'S');
			close(s[i]);
		}
		dp_tunnel_release(t);
		assert_int_equal(dp_tunnel_count(), 0);
		if (round == 0) {       /* after the first: libraries' one-time state is made */
			fds0 = count_dir("/proc/self/fd");
			tasks0 = count_dir("/proc/self/task");
		}
	}
	assert_int_equal(count_dir("/proc/self/fd"), fds0);
	assert_int_equal(count_dir("/proc/self/task"), tasks0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_session_refuses_sqlite),
		cmocka_unit_test(test_tunnels_in_a_row),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
