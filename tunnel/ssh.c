/* tunnel/ssh.c - SSH local port forwarding on libssh2 (see ssh.h).
 *
 * Setup (connect, host key, authentication, listener) runs in the thread
 * that acquires the tunnel, in blocking mode with a timeout, so its errors
 * reach the caller. Then the session turns non-blocking and belongs to the
 * relay thread alone: it polls the listener, every client socket and the SSH
 * socket (in the directions libssh2_session_block_directions asks for) and
 * moves bytes through bounded per-connection buffers.
 *
 * libssh2 (1.10) rules the relay keeps:
 * - a packet it could only partly send must be finished by the very call
 *   that started it before anything else sends (another call gets
 *   LIBSSH2_ERROR_BAD_USE, which some paths report as a socket error): the
 *   call that returned EAGAIN with the outbound direction blocked becomes the
 *   "owner" and only it is retried until it completes;
 * - one channel open at a time per session (its state lives in the session);
 * - any call may read the socket and queue packets for other channels, so
 *   the relay pumps every connection again as long as bytes were received
 *   (counted by our recv callback) or moved, before it sleeps in poll().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libssh2.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ssh.h"
#include "../base/dp_buf.h"
#include "../base/dp_log.h"

/* Bytes buffered per direction per connection: one SSH channel packet
 * (libssh2 writes at most 32 KB per packet) twice over. */
#define CONN_BUF (64 * 1024)
/* Connections through one tunnel: a job has at most 72 sessions
 * (engine/run/source.c DP_SESSIONS_MAX) plus cancel requests. */
#define MAX_CONNS 128
/* Blocking libssh2 calls during setup and teardown. */
#define SETUP_TIMEOUT_MS 15000
/* Relay passes over all connections before poll() is consulted again while
 * bytes keep moving (bounds the time a new connection waits for accept). */
#define MAX_PASSES 64

typedef enum conn_state { C_OPENING, C_OPEN, C_CLOSING } conn_state;
typedef enum relay_op { OP_NONE, OP_OPEN, OP_WRITE, OP_EOF, OP_READ, OP_FREE, OP_KEEPALIVE } relay_op;

typedef struct conn {
	int fd;                       /* accepted client socket, -1 once closed */
	int peer_port;                /* its port: the originator the bastion logs */
	LIBSSH2_CHANNEL *ch;
	conn_state st;
	int client_eof, eof_sent, chan_eof, client_shut;
	size_t up_len, up_off;        /* client -> channel */
	size_t down_len, down_off;    /* channel -> client */
	unsigned char up[CONN_BUF];
	unsigned char down[CONN_BUF];
} conn;

struct dp_tunnel {
	dp_tunnel *next;              /* registry, under reg_mu */
	int refs;                     /* under reg_mu */
	char *key;                    /* identity in the registry (no secret) */
	char name[320];               /* "user@bastion:22 to db:5432 (source)" */
	char *remote_host;
	int remote_port;
	int sock;                     /* TCP to the bastion */
	LIBSSH2_SESSION *s;
	int lfd;                      /* listener */
	char lhost[64];
	int lport;
	int wake[2];                  /* release -> relay */
	pthread_t th;
	int th_started;
	atomic_int stop;
	pthread_mutex_t mu;           /* dead, why */
	int dead;
	char why[512];
	/* relay thread only */
	conn *conns[MAX_CONNS];
	int nconns;
	conn *opening;                /* the one channel open in flight */
	conn *owner;                  /* see the header comment */
	relay_op owner_op;
	unsigned long long rx;        /* bytes received on the SSH socket */
	unsigned long long n_polls, n_timeouts, n_passes, bytes_down, bytes_up;
	double last_rx;
};

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static dp_tunnel *reg_head;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc;

static void lib_init(void)
{
	init_rc = libssh2_init(0);
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static LIBSSH2_RECV_FUNC(tun_recv)
{
	dp_tunnel *t = *abstract;
	ssize_t n = recv(socket, buffer, length, flags);

	if (n < 0)
		return errno == ENOENT ? -EAGAIN : -errno;
	if (n > 0) {
		t->rx += (unsigned long long)n;
		t->last_rx = mono();
	}
	return n;
}

void dp_tunnel_fingerprint(const unsigned char *key, size_t keylen, char *out, size_t outsz)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	unsigned char b64[96];
	int n;

	if (!EVP_Digest(key, keylen, md, &mdlen, EVP_sha256(), NULL)) {
		snprintf(out, outsz, "SHA256:?");
		return;
	}
	n = EVP_EncodeBlock(b64, md, (int)mdlen);
	while (n > 0 && b64[n - 1] == '=')
		b64[--n] = 0;
	snprintf(out, outsz, "SHA256:%s", (char *)b64);
}

static const char *key_type_name(int type)
{
	switch (type) {
	case LIBSSH2_HOSTKEY_TYPE_RSA: return "rsa";
	case LIBSSH2_HOSTKEY_TYPE_DSS: return "dsa";
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return "ecdsa";
	case LIBSSH2_HOSTKEY_TYPE_ED25519: return "ed25519";
	default: return "unknown";
	}
}

static int key_type_bits(int type)
{
	switch (type) {
	case LIBSSH2_HOSTKEY_TYPE_RSA: return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
	case LIBSSH2_HOSTKEY_TYPE_DSS: return LIBSSH2_KNOWNHOST_KEY_SSHDSS;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
	case LIBSSH2_HOSTKEY_TYPE_ED25519: return LIBSSH2_KNOWNHOST_KEY_ED25519;
	default: return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
	}
}

static const char *home_dir(void)
{
	const char *h = getenv("HOME");
	struct passwd *pw;

	if (h && *h)
		return h;
	pw = getpwuid(getuid());
	return pw && pw->pw_dir ? pw->pw_dir : "/";
}

/* "~/x" -> "$HOME/x"; others as they are */
static void expand_path(const char *in, char *out, size_t outsz)
{
	if (in[0] == '~' && in[1] == '/')
		snprintf(out, outsz, "%s/%s", home_dir(), in + 2);
	else
		snprintf(out, outsz, "%s", in);
}

static const char *ssh_errmsg(LIBSSH2_SESSION *s)
{
	char *m = NULL;
	int len = 0;

	libssh2_session_last_error(s, &m, &len, 0);
	return m && *m ? m : "no detail";
}

/* ---- setup ---- */

static int tcp_connect(dp_tunnel *t, const char *host, int port, dp_errbuf *eb)
{
	struct addrinfo hints, *res = NULL, *ai;
	char ps[16];
	int gai, fd = -1, last = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(ps, sizeof(ps), "%d", port);
	gai = getaddrinfo(host, ps, &hints, &res);
	if (gai)
		return dp_fail(eb, DP_ERR_CONNECT, "%s: cannot resolve the SSH host %s: %s", t->name, host,
			       gai_strerror(gai));
	for (ai = res; ai; ai = ai->ai_next) {
		struct pollfd pfd;
		int err = 0;
		socklen_t el = sizeof(err);
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
		if (fd < 0) {
			last = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, DP_TUNNEL_CONNECT_S * 1000) == 1 &&
			    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == 0)
				break;
			last = err ? err : ETIMEDOUT;
		} else {
			last = errno;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return dp_fail(eb, DP_ERR_CONNECT, "%s: cannot connect to the SSH server %s port %d: %s",
			       t->name, host, port, strerror(last ? last : ECONNREFUSED));
	/* blocking from here (libssh2's blocking mode waits with its timeout) */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	{
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	}
	t->sock = fd;
	return DP_OK;
}

static int check_host_key(dp_tunnel *t, const dp_tunnel_cfg *c, int port, dp_errbuf *eb)
{
	size_t len = 0;
	int type = 0, rc = DP_OK, n;
	const char *key = libssh2_session_hostkey(t->s, &len, &type);
	char fp[80], path[1024], hostport[300];
	LIBSSH2_KNOWNHOSTS *kh;
	struct libssh2_knownhost *found = NULL;

	if (!key)
		return dp_fail(eb, DP_ERR_CONNECT, "%s: the SSH server sent no host key", t->name);
	dp_tunnel_fingerprint((const unsigned char *)key, len, fp, sizeof(fp));
	if (port == 22)
		snprintf(hostport, sizeof(hostport), "%s", c->host);
	else
		snprintf(hostport, sizeof(hostport), "[%s]:%d", c->host, port);
	if (c->host_key_fingerprint) {
		const char *want = c->host_key_fingerprint;
		size_t wl = strlen(want);
		while (wl > 0 && want[wl - 1] == '=')
			wl--;
		if (wl == strlen(fp) && !strncmp(want, fp, wl)) {
			dp_log_info("%s: host key %s %s matches host_key_fingerprint", t->name,
				    key_type_name(type), fp);
			return DP_OK;
		}
		return dp_fail(eb, DP_ERR_REFUSED, "%s: host key mismatch: the server presents the %s key "
			       "%s, but hooks_params.SSHTunnel.host_key_fingerprint pins %.80s. This can be "
			       "an attack; if the server's key was changed on purpose, check the new "
			       "fingerprint with its administrator and put it in host_key_fingerprint",
			       t->name, key_type_name(type), fp, want);
	}
	if (c->known_hosts_file)
		expand_path(c->known_hosts_file, path, sizeof(path));
	else
		snprintf(path, sizeof(path), "%s/.ssh/known_hosts", home_dir());
	kh = libssh2_knownhost_init(t->s);
	if (!kh)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	n = libssh2_knownhost_readfile(kh, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH);
	if (n < 0 && access(path, F_OK) == 0) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "%s: cannot read the known_hosts file %s: %s", t->name,
			     path, ssh_errmsg(t->s));
		goto out;
	}
	switch (libssh2_knownhost_checkp(kh, c->host, port, key, len, LIBSSH2_KNOWNHOST_TYPE_PLAIN |
					 LIBSSH2_KNOWNHOST_KEYENC_RAW | key_type_bits(type), &found)) {
	case LIBSSH2_KNOWNHOST_CHECK_MATCH:
		dp_log_info("%s: host key %s %s found in %s", t->name, key_type_name(type), fp, path);
		break;
	case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
		rc = dp_fail(eb, DP_ERR_REFUSED, "%s: unknown SSH host key: %s presents the %s key %s, "
			     "which %s does not list (no trust on first use). Check this fingerprint "
			     "with the server's administrator (ssh-keygen -lf on its host key), then trust "
			     "it: ssh-keyscan -p %d -t %s %s >> %s, or set "
			     "hooks_params.SSHTunnel.host_key_fingerprint to \"%s\"", t->name, hostport,
			     key_type_name(type), fp, path, port, key_type_name(type), c->host, path, fp);
		break;
	case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
		rc = dp_fail(eb, DP_ERR_REFUSED, "%s: SSH host key changed: %s now presents the %s key "
			     "%s, which does not match its entry in %s (the key changed, or the file "
			     "lists only another key type for this host). This can be an attack; if the "
			     "change is expected, remove the old entry (ssh-keygen -R '%s' -f %s) and trust "
			     "the new key (ssh-keyscan -p %d -t %s %s >> %s), or pin it with "
			     "host_key_fingerprint \"%s\"", t->name, hostport, key_type_name(type), fp,
			     path, hostport, path, port, key_type_name(type), c->host, path, fp);
		break;
	default:
		rc = dp_fail(eb, DP_ERR_CONNECT, "%s: cannot check the host key against %s: %s", t->name,
			     path, ssh_errmsg(t->s));
	}
out:
	libssh2_knownhost_free(kh);
	return rc;
}

/* Is the private key file an RSA key? (libssh2 1.10 signs only with
 * ssh-rsa/SHA-1, which OpenSSH 8.8+ refuses by default.) The file holds
 * key material: the copy is wiped. */
static int key_is_rsa(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf, *b64 = NULL, *p;
	unsigned char *bin = NULL;
	size_t n, m = 0;
	int rsa = 0;
	const size_t cap = 64 * 1024;   /* far above any key file */

	if (!f)
		return 0;
	buf = calloc(1, cap + 1);
	if (!buf) {
		fclose(f);
		return 0;
	}
	n = fread(buf, 1, cap, f);
	fclose(f);
	if (strstr(buf, "BEGIN RSA PRIVATE KEY")) {
		rsa = 1;
	} else if ((p = strstr(buf, "BEGIN OPENSSH PRIVATE KEY-----"))) {
		/* the public part at the start of the body is not encrypted */
		p += strlen("BEGIN OPENSSH PRIVATE KEY-----");
		b64 = calloc(1, n + 1);
		bin = calloc(1, n + 1);
		if (b64 && bin) {
			for (; *p && *p != '-' && m < 4096; p++)
				if (*p != '\n' && *p != '\r' && *p != ' ')
					b64[m++] = *p;
			m -= m % 4;
			int len = EVP_DecodeBlock(bin, (unsigned char *)b64, (int)m);
			for (int i = 0; len > 7 && i + 7 <= len && i < 200; i++)
				if (!memcmp(bin + i, "ssh-rsa", 7)) {
					rsa = 1;
					break;
				}
		}
	}
	OPENSSL_cleanse(buf, cap);
	if (b64)
		OPENSSL_cleanse(b64, n + 1);
	if (bin)
		OPENSSL_cleanse(bin, n + 1);
	free(buf);
	free(b64);
	free(bin);
	return rsa;
}

static const char rsa_hint[] = "; it is an RSA key, and libssh2 1.10 can sign only with ssh-rsa "
	"(SHA-1), which OpenSSH 8.8 and later refuse by default: use an ed25519 or ECDSA key";

static int authenticate(dp_tunnel *t, const dp_tunnel_cfg *c, const char *user, dp_errbuf *eb)
{
	unsigned ul = (unsigned)strlen(user);
	char path[1024];
	int r;
	dp_errbuf first;

	dp_errbuf_clear(&first);
	if (c->private_key_file) {
		expand_path(c->private_key_file, path, sizeof(path));
		if (access(path, R_OK) != 0) {
			return dp_fail(eb, DP_ERR_CONFIG, "%s: cannot read private_key_file %s: %s", t->name,
				       path, strerror(errno));
		}
		r = libssh2_userauth_publickey_fromfile_ex(t->s, user, ul, NULL, path,
							   c->private_key_password);
		if (!r) {
			dp_log_info("%s: authenticated as %s with the key %s", t->name, user, path);
			return DP_OK;
		}
		if (r == LIBSSH2_ERROR_FILE || r == LIBSSH2_ERROR_KEYFILE_AUTH_FAILED)
			dp_fail(&first, DP_ERR_AUTH, "%s: cannot load the private key %s: %s", t->name, path,
				c->private_key_password ? "wrong private_key_password, or a key format libssh2 "
				"cannot read" : "it may need private_key_password (its passphrase), or its "
				"format is one libssh2 cannot read");
		else
			dp_fail(&first, DP_ERR_AUTH, "%s: the SSH server refused the key %s for user %s "
				"(%s)%s", t->name, path, user, ssh_errmsg(t->s),
				key_is_rsa(path) ? rsa_hint : "");
	} else if (getenv("SSH_AUTH_SOCK") && *getenv("SSH_AUTH_SOCK")) {
		LIBSSH2_AGENT *ag = libssh2_agent_init(t->s);
		struct libssh2_agent_publickey *id = NULL, *prev = NULL;
		int ok = 0, tried = 0, rsa = 0;
		if (ag && !libssh2_agent_connect(ag) && !libssh2_agent_list_identities(ag)) {
			while (!ok && libssh2_agent_get_identity(ag, &id, prev) == 0) {
				tried++;
				if (id->blob_len > 11 && !memcmp(id->blob + 4, "ssh-rsa", 7))
					rsa = 1;
				ok = !libssh2_agent_userauth(ag, user, id);
				prev = id;
			}
			libssh2_agent_disconnect(ag);
		}
		if (ag)
			libssh2_agent_free(ag);
		if (ok) {
			dp_log_info("%s: authenticated as %s with a key from ssh-agent", t->name, user);
			return DP_OK;
		}
		dp_fail(&first, DP_ERR_AUTH, "%s: the SSH server refused %s %d key%s of ssh-agent for user "
			"%s%s", t->name, tried ? "the" : "all", tried, tried == 1 ? "" : "s", user,
			rsa ? "; among them RSA keys, and libssh2 1.10 can sign only with ssh-rsa (SHA-1), "
			"which OpenSSH 8.8 and later refuse by default: use an ed25519 or ECDSA key" : "");
	}
	if (c->password) {
		r = libssh2_userauth_password_ex(t->s, user, ul, c->password,
						 (unsigned)strlen(c->password), NULL);
		if (!r) {
			dp_log_info("%s: authenticated as %s with a password", t->name, user);
			return DP_OK;
		}
		if (!first.code)
			dp_fail(&first, DP_ERR_AUTH, "%s: the SSH server refused the password of user %s (%s)",
				t->name, user, ssh_errmsg(t->s));
		else
			dp_log_warn("%s: the SSH server refused the password of user %s too", t->name, user);
	}
	if (!first.code)
		dp_fail(&first, DP_ERR_CONFIG, "%s: no way to authenticate: set private_key_file or "
			"password in hooks_params.SSHTunnel (or run an ssh-agent)", t->name);
	return dp_fail(eb, first.code, "%s", first.msg);
}

static int start_listener(dp_tunnel *t, const dp_tunnel_cfg *c, dp_errbuf *eb)
{
	struct addrinfo hints, *res = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char ps[16], sv[16];
	int gai, one = 1;
	const char *lh = c->local_host ? c->local_host : "127.0.0.1";

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	snprintf(ps, sizeof(ps), "%d", c->local_port);
	gai = getaddrinfo(lh, ps, &hints, &res);
	if (gai)
		return dp_fail(eb, DP_ERR_CONFIG, "%s: local_host %s: %s", t->name, lh, gai_strerror(gai));
	t->lfd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, res->ai_protocol);
	if (t->lfd >= 0)
		setsockopt(t->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (t->lfd < 0 || bind(t->lfd, res->ai_addr, res->ai_addrlen) || listen(t->lfd, 64) ||
	    getsockname(t->lfd, (struct sockaddr *)&ss, &sl) ||
	    getnameinfo((struct sockaddr *)&ss, sl, t->lhost, sizeof(t->lhost), sv, sizeof(sv),
			NI_NUMERICHOST | NI_NUMERICSERV)) {
		int e = errno;
		freeaddrinfo(res);
		return dp_fail(eb, DP_ERR_CONNECT, "%s: cannot listen on %s port %d: %s", t->name, lh,
			       c->local_port, strerror(e));
	}
	freeaddrinfo(res);
	t->lport = atoi(sv);
	return DP_OK;
}

/* ---- the relay ---- */

static void set_dead(dp_tunnel *t, const char *why)
{
	pthread_mutex_lock(&t->mu);
	if (!t->dead) {
		t->dead = 1;
		snprintf(t->why, sizeof(t->why), "%s", why);
	}
	pthread_mutex_unlock(&t->mu);
}

static void conn_free(dp_tunnel *t, int i)
{
	conn *c = t->conns[i];

	if (c->fd >= 0)
		close(c->fd);
	if (t->opening == c)
		t->opening = NULL;
	if (t->owner == c) {
		t->owner = NULL;
		t->owner_op = OP_NONE;
	}
	OPENSSL_cleanse(c->up, sizeof(c->up));       /* database traffic: may hold a password */
	free(c);
	t->conns[i] = t->conns[--t->nconns];
}

/* The SSH connection is gone: cut every client now (their drivers see the
 * server close and fail at once), refuse new ones, keep the reason. */
static void die_why(dp_tunnel *t, const char *why)
{
	set_dead(t, why);
	dp_log_error("%s: %s; the %d database connection%s through it %s cut", t->name, why,
		     t->nconns, t->nconns == 1 ? "" : "s", t->nconns == 1 ? "is" : "are");
	shutdown(t->sock, SHUT_RDWR);   /* every later libssh2 call fails fast */
	for (int i = 0; i < t->nconns; i++)
		if (t->conns[i]->fd >= 0) {
			close(t->conns[i]->fd);
			t->conns[i]->fd = -1;
		}
	if (t->lfd >= 0) {
		close(t->lfd);
		t->lfd = -1;
	}
}

static void die(dp_tunnel *t, int rc, const char *during)
{
	char why[512];

	snprintf(why, sizeof(why), "the SSH connection was lost (%s: %s, libssh2 error %d)", during,
		 ssh_errmsg(t->s), rc);
	die_why(t, why);
}

static int may(const dp_tunnel *t, const conn *c, relay_op op)
{
	return t->owner_op == OP_NONE || (t->owner == c && t->owner_op == op);
}

/* after a libssh2 call of `op` returned rc */
static void note(dp_tunnel *t, conn *c, relay_op op, long rc)
{
	if (rc == LIBSSH2_ERROR_EAGAIN &&
	    (libssh2_session_block_directions(t->s) & LIBSSH2_SESSION_BLOCK_OUTBOUND)) {
		t->owner = c;
		t->owner_op = op;
	} else if (t->owner == c && t->owner_op == op) {
		t->owner = NULL;
		t->owner_op = OP_NONE;
	}
}

static int again(long rc)
{
	return rc == LIBSSH2_ERROR_EAGAIN || rc == LIBSSH2_ERROR_BAD_USE;
}

static int channel_error(long rc)
{
	return rc == LIBSSH2_ERROR_CHANNEL_CLOSED || rc == LIBSSH2_ERROR_CHANNEL_EOF_SENT ||
	       rc == LIBSSH2_ERROR_CHANNEL_FAILURE || rc == LIBSSH2_ERROR_CHANNEL_UNKNOWN ||
	       rc == LIBSSH2_ERROR_CHANNEL_WINDOW_EXCEEDED || rc == LIBSSH2_ERROR_CHANNEL_PACKET_EXCEEDED ||
	       rc == LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED || rc == LIBSSH2_ERROR_CHANNEL_OUTOFORDER;
}

/* the client side is finished: close it; the channel (if any) closes next */
static void conn_drop(conn *c)
{
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	c->st = C_CLOSING;
}

/* Move what can move for connection i. Returns 1 when something changed,
 * 0 when it waits, -1 when the session died. The connection may be freed
 * (then t->conns[i] is another one). */
static int pump(dp_tunnel *t, int i)
{
	conn *c = t->conns[i];
	int prog = 0;
	long n;

	if (c->st == C_OPENING) {
		if ((t->opening && t->opening != c) || !may(t, c, OP_OPEN))
			return 0;
		t->opening = c;
		c->ch = libssh2_channel_direct_tcpip_ex(t->s, t->remote_host, t->remote_port,
							t->lhost, c->peer_port);
		n = c->ch ? 0 : libssh2_session_last_errno(t->s);
		note(t, c, OP_OPEN, n);
		if (!c->ch && again(n))
			return 0;
		t->opening = NULL;
		if (!c->ch) {
			if (!channel_error(n)) {
				die(t, (int)n, "opening a channel");
				return -1;
			}
			dp_log_error("%s: the SSH server could not open a connection to %s port %d: %s",
				     t->name, t->remote_host, t->remote_port, ssh_errmsg(t->s));
			conn_free(t, i);
			return 1;
		}
		c->st = C_OPEN;
		prog = 1;
	}
	if (c->st == C_OPEN) {
		/* client -> buffer */
		if (!c->client_eof && c->up_len < CONN_BUF) {
			ssize_t r = recv(c->fd, c->up + c->up_len, CONN_BUF - c->up_len, MSG_DONTWAIT);
			if (r > 0) {
				c->up_len += (size_t)r;
				prog = 1;
			} else if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
				c->client_eof = 1;
				prog = 1;
			}
		}
		/* buffer -> channel */
		while (c->up_off < c->up_len && may(t, c, OP_WRITE)) {
			n = libssh2_channel_write(c->ch, (const char *)c->up + c->up_off, c->up_len - c->up_off);
			note(t, c, OP_WRITE, n < 0 ? n : 0);
			if (again(n) || n == 0)     /* 0: the remote window is full */
				break;
			if (n < 0) {
				if (!channel_error(n)) {
					die(t, (int)n, "writing to a channel");
					return -1;
				}
				conn_drop(c);
				return 1;
			}
			c->up_off += (size_t)n;
			t->bytes_up += (unsigned long long)n;
			prog = 1;
		}
		if (c->up_off == c->up_len)
			c->up_off = c->up_len = 0;
		if (c->client_eof && !c->up_len && !c->eof_sent && may(t, c, OP_EOF)) {
			n = libssh2_channel_send_eof(c->ch);
			note(t, c, OP_EOF, n);
			if (!again(n)) {
				if (n < 0 && !channel_error(n)) {
					die(t, (int)n, "sending EOF on a channel");
					return -1;
				}
				c->eof_sent = 1;
				prog = 1;
			}
		}
		/* channel -> buffer (a zero-length read only to finish a window
		 * adjustment it owns) */
		if (!c->chan_eof && (c->down_len < CONN_BUF || (t->owner == c && t->owner_op == OP_READ)) &&
		    may(t, c, OP_READ)) {
			n = libssh2_channel_read(c->ch, (char *)c->down + c->down_len, CONN_BUF - c->down_len);
			note(t, c, OP_READ, n < 0 ? n : 0);
			if (n > 0) {
				c->down_len += (size_t)n;
				t->bytes_down += (unsigned long long)n;
				prog = 1;
			} else if (n == 0 || again(n)) {
				if (libssh2_channel_eof(c->ch)) {
					c->chan_eof = 1;
					prog = 1;
				}
			} else if (channel_error(n)) {
				c->chan_eof = 1;
				prog = 1;
			} else {
				die(t, (int)n, "reading from a channel");
				return -1;
			}
		}
		/* buffer -> client */
		while (c->down_off < c->down_len) {
			ssize_t w = send(c->fd, c->down + c->down_off, c->down_len - c->down_off,
					 MSG_DONTWAIT | MSG_NOSIGNAL);
			if (w > 0) {
				c->down_off += (size_t)w;
				prog = 1;
			} else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
				break;
			} else {
				conn_drop(c);       /* the client is gone */
				return 1;
			}
		}
		if (c->down_off == c->down_len)
			c->down_off = c->down_len = 0;
		if (c->chan_eof && !c->down_len && !c->client_shut) {
			shutdown(c->fd, SHUT_WR);
			c->client_shut = 1;
			prog = 1;
		}
		if (c->client_eof && c->eof_sent && c->chan_eof && !c->down_len) {
			conn_drop(c);
			prog = 1;
		}
	}
	if (c->st == C_CLOSING) {
		if (!may(t, c, OP_FREE))
			return prog;
		n = libssh2_channel_free(c->ch);
		note(t, c, OP_FREE, n);
		if (n == LIBSSH2_ERROR_EAGAIN)
			return prog;
		conn_free(t, i);
		return 1;
	}
	return prog;
}

/* Does any connection wait for something from the SSH server? (Not when
 * every buffer towards the clients is full: the socket stays unread and the
 * channel windows hold the server back.) */
static int want_read(const dp_tunnel *t)
{
	for (int i = 0; i < t->nconns; i++) {
		const conn *c = t->conns[i];
		if (c->st != C_OPEN || (!c->chan_eof && c->down_len < CONN_BUF))
			return 1;
	}
	return 0;
}

static void accept_new(dp_tunnel *t)
{
	for (;;) {
		struct sockaddr_storage sa;
		socklen_t sl = sizeof(sa);
		int fd = accept4(t->lfd, (struct sockaddr *)&sa, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC), one = 1;
		conn *c;

		if (fd < 0)
			return;
		if (t->nconns >= MAX_CONNS || !(c = calloc(1, sizeof(*c)))) {
			dp_log_error("%s: more than %d connections at once: one refused", t->name, MAX_CONNS);
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c->fd = fd;
		c->peer_port = sa.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&sa)->sin6_port)
			     : ntohs(((struct sockaddr_in *)&sa)->sin_port);
		c->st = C_OPENING;
		if (!t->nconns)
			t->last_rx = mono();    /* silence while idle is not a failure */
		t->conns[t->nconns++] = c;
	}
}

static void *relay_main(void *arg)
{
	dp_tunnel *t = arg;
	struct pollfd pf[MAX_CONNS + 3];
	sigset_t all;
	double stop_at = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);   /* signals are the CLI's */
	t->last_rx = mono();
	for (;;) {
		int np = 0, timeout = 1000, dead, ks = -1, k;
		pthread_mutex_lock(&t->mu);
		dead = t->dead;
		pthread_mutex_unlock(&t->mu);
		if (atomic_load(&t->stop)) {
			if (!stop_at)
				stop_at = mono() + DP_TUNNEL_DRAIN_MS / 1000.0;
			if (dead || !t->nconns || mono() > stop_at) {
				dp_log_debug("%s: relay stops, %d connection%s still open", t->name, t->nconns,
					     t->nconns == 1 ? "" : "s");
				break;
			}
		}
		if (!dead) {
			int passes = 0, r = 0;
			unsigned long long rx0;
			do {
				rx0 = t->rx;
				r = 0;
				t->n_passes++;
				for (int i = 0; i < t->nconns && r >= 0; ) {
					conn *c = t->conns[i];
					int p = pump(t, i);
					if (p < 0)
						r = -1;
					else
						r |= p;
					if (i < t->nconns && t->conns[i] == c)
						i++;
				}
			} while ((r > 0 || t->rx != rx0) && r >= 0 && ++passes < MAX_PASSES);
			if (passes >= MAX_PASSES)
				timeout = 0;    /* still busy: only look at the listener and wake-up */
			if (r >= 0 && may(t, NULL, OP_KEEPALIVE)) {
				int next = DP_TUNNEL_KEEPALIVE_S;
				int kr = libssh2_keepalive_send(t->s, &next);
				note(t, NULL, OP_KEEPALIVE, kr);
				if (kr && !again(kr))
					die(t, kr, "sending a keepalive");
				else if (next > 0 && next * 1000 < timeout)
					timeout = next * 1000;
			}
			pthread_mutex_lock(&t->mu);
			dead = t->dead;
			pthread_mutex_unlock(&t->mu);
			if (!dead && t->nconns && mono() - t->last_rx > DP_TUNNEL_DEAD_AFTER_S) {
				char why[160];
				snprintf(why, sizeof(why), "no answer from the SSH server for %d s (keepalives "
					 "every %d s)", DP_TUNNEL_DEAD_AFTER_S, DP_TUNNEL_KEEPALIVE_S);
				die_why(t, why);
				dead = 1;
			}
		}
		if (atomic_load(&t->stop) && !t->nconns)
			continue;           /* the last connection just closed: stop now */
		pf[np].fd = t->wake[0];
		pf[np++].events = POLLIN;
		if (!dead) {
			int dirs = libssh2_session_block_directions(t->s);
			if (t->lfd >= 0 && !atomic_load(&t->stop) && t->nconns < MAX_CONNS) {
				pf[np].fd = t->lfd;
				pf[np++].events = POLLIN;
			}
			ks = np;
			pf[np].fd = t->sock;
			pf[np].events = (short)((dirs & LIBSSH2_SESSION_BLOCK_INBOUND || want_read(t) ? POLLIN : 0) |
						(dirs & LIBSSH2_SESSION_BLOCK_OUTBOUND ? POLLOUT : 0));
			/* silence counts only while something waits for the server */
			if (!(pf[np].events & POLLIN))
				t->last_rx = mono();
			np++;
			for (int i = 0; i < t->nconns; i++) {
				conn *c = t->conns[i];
				short ev = 0;
				if (c->fd < 0 || c->st != C_OPEN)
					continue;
				if (!c->client_eof && c->up_len < CONN_BUF)
					ev |= POLLIN;
				if (c->down_off < c->down_len)
					ev |= POLLOUT;
				if (!ev)
					continue;
				pf[np].fd = c->fd;
				pf[np++].events = ev;
			}
		} else {
			timeout = 1000;
		}
		k = poll(pf, (nfds_t)np, timeout);
		t->n_polls++;
		if (k == 0 && t->nconns && timeout > 0)
			t->n_timeouts++;
		if (k < 0 && errno != EINTR)
			break;
		if (k > 0 && (pf[0].revents & POLLIN)) {
			char b[64];
			while (read(t->wake[0], b, sizeof(b)) > 0)
				;
		}
		if (k > 0 && !dead && t->lfd >= 0 && np > 1 && pf[1].fd == t->lfd && (pf[1].revents & POLLIN))
			accept_new(t);
		/* the peer closed with nothing for libssh2 to read: the next pump
		 * sees the error; only a hang-up with no connection needs it here */
		if (k > 0 && !dead && ks >= 0 && (pf[ks].revents & (POLLHUP | POLLERR)) &&
		    !(pf[ks].events & POLLIN))
			die_why(t, "the SSH server closed the connection");
	}
	return NULL;
}

/* ---- lifetime ---- */

static void tunnel_free(dp_tunnel *t)
{
	if (!t)
		return;
	if (t->th_started) {
		atomic_store(&t->stop, 1);
		if (write(t->wake[1], "x", 1) < 0) {
			/* the pipe is non-blocking and drained by the relay: a full pipe
			 * already wakes it */
		}
		pthread_join(t->th, NULL);
		dp_log_debug("%s: relayed %llu bytes down, %llu up; %llu polls (%llu timed out with "
			     "connections open), %llu passes", t->name, t->bytes_down, t->bytes_up,
			     t->n_polls, t->n_timeouts, t->n_passes);
	}
	if (t->s) {
		int dead;
		pthread_mutex_lock(&t->mu);
		dead = t->dead;
		pthread_mutex_unlock(&t->mu);
		libssh2_session_set_blocking(t->s, 1);
		libssh2_session_set_timeout(t->s, dead ? 200 : DP_TUNNEL_DRAIN_MS);
		while (t->nconns) {
			conn *c = t->conns[0];
			if (c->ch && libssh2_channel_free(c->ch))
				shutdown(t->sock, SHUT_RDWR);   /* no answer: stop talking */
			c->ch = NULL;
			conn_free(t, 0);
		}
		if (!dead)
			libssh2_session_disconnect(t->s, "doppel: tunnel closed");
		if (libssh2_session_free(t->s)) {
			shutdown(t->sock, SHUT_RDWR);
			(void)libssh2_session_free(t->s);
		}
	}
	if (t->sock >= 0)
		close(t->sock);
	if (t->lfd >= 0)
		close(t->lfd);
	if (t->wake[0] >= 0)
		close(t->wake[0]);
	if (t->wake[1] >= 0)
		close(t->wake[1]);
	pthread_mutex_destroy(&t->mu);
	free(t->key);
	free(t->remote_host);
	free(t);
}

static char *make_key(const dp_tunnel_cfg *c, const char *user)
{
	dp_buf b = DP_BUF_INIT;
	const char *z = "";

	if (dp_buf_printf(&b, "%p\x1f%s\x1f%d\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%d\x1f%s\x1f%d\x1f%d\x1f%d",
			  (const void *)dp_log_bound(), c->host, c->port ? c->port : 22, user,
			  c->private_key_file ? c->private_key_file : z,
			  c->known_hosts_file ? c->known_hosts_file : z,
			  c->host_key_fingerprint ? c->host_key_fingerprint : z,
			  c->local_host ? c->local_host : z, c->local_port,
			  c->remote_host, c->remote_port, c->password != NULL,
			  c->private_key_password != NULL)) {
		dp_buf_free(&b);
		return NULL;
	}
	return dp_buf_steal(&b);
}

static int tunnel_start(const dp_tunnel_cfg *c, const char *user, char *key, dp_tunnel **out,
			dp_errbuf *eb)
{
	dp_tunnel *t = calloc(1, sizeof(*t));
	int port = c->port ? c->port : 22, rc;

	*out = NULL;
	if (!t) {
		free(key);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	t->key = key;
	t->sock = t->lfd = t->wake[0] = t->wake[1] = -1;
	pthread_mutex_init(&t->mu, NULL);
	snprintf(t->name, sizeof(t->name), "SSH tunnel %s@%s:%d to %s:%d (%s)", user, c->host, port,
		 c->remote_host, c->remote_port, c->which ? c->which : "connection");
	t->remote_host = dp_strdup(c->remote_host);
	t->remote_port = c->remote_port;
	if (!t->remote_host || pipe2(t->wake, O_CLOEXEC | O_NONBLOCK)) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (init_rc) {
		rc = dp_fail(eb, DP_ERR_INTERNAL, "libssh2_init failed (%d)", init_rc);
		goto out;
	}
	rc = tcp_connect(t, c->host, port, eb);
	if (rc)
		goto out;
	t->s = libssh2_session_init_ex(NULL, NULL, NULL, t);
	if (!t->s) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	libssh2_session_callback_set(t->s, LIBSSH2_CALLBACK_RECV, (void *)tun_recv);
	libssh2_session_set_blocking(t->s, 1);
	libssh2_session_set_timeout(t->s, SETUP_TIMEOUT_MS);
	/* modern host keys first: the one presented is the one checked */
	(void)libssh2_session_method_pref(t->s, LIBSSH2_METHOD_HOSTKEY,
		"ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-rsa");
	if (libssh2_session_handshake(t->s, t->sock)) {
		rc = dp_fail(eb, DP_ERR_CONNECT, "%s: SSH handshake failed: %s", t->name, ssh_errmsg(t->s));
		goto out;
	}
	rc = check_host_key(t, c, port, eb);
	if (!rc)
		rc = authenticate(t, c, user, eb);
	if (!rc)
		rc = start_listener(t, c, eb);
	if (rc)
		goto out;
	libssh2_session_set_timeout(t->s, 0);
	libssh2_session_set_blocking(t->s, 0);
	fcntl(t->sock, F_SETFL, fcntl(t->sock, F_GETFL) | O_NONBLOCK);
	libssh2_keepalive_config(t->s, 1, DP_TUNNEL_KEEPALIVE_S);
	if (dp_thread_create(&t->th, relay_main, t)) {
		rc = dp_fail(eb, DP_ERR_INTERNAL, "%s: cannot start the relay thread", t->name);
		goto out;
	}
	t->th_started = 1;
	dp_log_info("%s: up, listening on %s port %d", t->name, t->lhost, t->lport);
	*out = t;
	return DP_OK;
out:
	tunnel_free(t);
	return rc;
}

int dp_tunnel_acquire(const dp_tunnel_cfg *c, dp_tunnel **out, dp_errbuf *eb)
{
	const char *user = c->username;
	struct passwd *pw;
	char *key;
	dp_tunnel *t;
	int rc;

	*out = NULL;
	if (!c->host || !*c->host)
		return dp_fail(eb, DP_ERR_CONFIG, "%s.hooks_params.SSHTunnel.host: missing",
			       c->which ? c->which : "connection");
	if (!c->remote_host || c->remote_port <= 0)
		return dp_fail(eb, DP_ERR_INTERNAL, "tunnel without a database address");
	if (!user || !*user) {
		pw = getpwuid(getuid());
		user = pw ? pw->pw_name : "root";
	}
	pthread_once(&init_once, lib_init);
	key = make_key(c, user);
	if (!key)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	/* held while a new tunnel starts: one tunnel per key, never two */
	pthread_mutex_lock(&reg_mu);
	for (t = reg_head; t; t = t->next)
		if (!strcmp(t->key, key))
			break;
	if (t) {
		free(key);
		rc = dp_tunnel_status(t, eb);
		if (!rc) {
			t->refs++;
			*out = t;
		}
		pthread_mutex_unlock(&reg_mu);
		return rc;
	}
	rc = tunnel_start(c, user, key, &t, eb);
	if (!rc) {
		t->refs = 1;
		t->next = reg_head;
		reg_head = t;
		*out = t;
	}
	pthread_mutex_unlock(&reg_mu);
	return rc;
}

const char *dp_tunnel_local_host(const dp_tunnel *t)
{
	return t->lhost;
}

int dp_tunnel_local_port(const dp_tunnel *t)
{
	return t->lport;
}

int dp_tunnel_status(dp_tunnel *t, dp_errbuf *eb)
{
	int rc = DP_OK;

	pthread_mutex_lock(&t->mu);
	if (t->dead)
		rc = dp_fail(eb, DP_ERR_CONNECT, "%s is down: %s", t->name, t->why);
	pthread_mutex_unlock(&t->mu);
	return rc;
}

void dp_tunnel_release(dp_tunnel *t)
{
	dp_tunnel **pp;

	if (!t)
		return;
	pthread_mutex_lock(&reg_mu);
	if (--t->refs > 0) {
		pthread_mutex_unlock(&reg_mu);
		return;
	}
	for (pp = &reg_head; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	pthread_mutex_unlock(&reg_mu);
	dp_log_info("%s: closed", t->name);
	tunnel_free(t);
}

int dp_tunnel_count(void)
{
	int n = 0;

	pthread_mutex_lock(&reg_mu);
	for (dp_tunnel *t = reg_head; t; t = t->next)
		n++;
	pthread_mutex_unlock(&reg_mu);
	return n;
}
