/* tunnel/ssh.h - SSH local port forwarding (libssh2) for database sessions.
 *
 * A tunnel is one SSH session to a bastion, one listener on
 * local_host:local_port (default 127.0.0.1 and an ephemeral port), and one
 * relay thread that owns the SSH session and multiplexes one direct-tcpip
 * channel per accepted database connection to remote_host:remote_port as
 * seen from the bastion. All sessions of a job with the same SSH settings
 * and database address share one tunnel (reference counted): the last
 * release stops it.
 *
 * The host key is checked before any authentication: against a pinned
 * host_key_fingerprint ("SHA256:<base64>", as `ssh-keygen -lf` prints), or
 * against known_hosts (default ~/.ssh/known_hosts). An unknown or changed key
 * fails with a message showing the fingerprint and how to trust it; there is
 * no trust on first use. Passwords and passphrases are used during
 * dp_tunnel_acquire only, never copied, never logged.
 *
 * A tunnel whose SSH connection dies (EOF, error, no keepalive answer within
 * DP_TUNNEL_DEAD_AFTER_S) cuts every connection through it at once (the
 * drivers see the server close) and logs an error naming it; later acquires
 * fail with that reason.
 */
#ifndef DP_TUNNEL_SSH_H
#define DP_TUNNEL_SSH_H

#include "../base/dp_err.h"

typedef struct dp_tunnel dp_tunnel;

/* What a tunnel is made of; every pointer is borrowed for the call (the
 * connectors fill it from their dp_ssh_cfg: tunnel/ sits below them). */
typedef struct dp_tunnel_cfg {
	const char *host;                 /* the bastion */
	int port;                         /* 0 = 22 */
	const char *username;             /* NULL = the current user */
	const char *password;             /* secret, may be NULL */
	const char *private_key_file;     /* "~/" expanded, may be NULL */
	const char *private_key_password; /* secret (passphrase), may be NULL */
	const char *known_hosts_file;     /* NULL = ~/.ssh/known_hosts */
	const char *host_key_fingerprint; /* "SHA256:..." pin, replaces known_hosts */
	const char *local_host;           /* NULL = 127.0.0.1 */
	int local_port;                   /* 0 = ephemeral */
	const char *remote_host;          /* the database, as the bastion sees it */
	int remote_port;
	const char *which;                /* "source", "target": for messages */
} dp_tunnel_cfg;

/* Seconds between keepalives, and of silence after which a tunnel with open
 * connections is declared dead (OpenSSH's ServerAliveInterval/CountMax in
 * spirit: 3 missed answers). */
#define DP_TUNNEL_KEEPALIVE_S 2
#define DP_TUNNEL_DEAD_AFTER_S 7

/* Get the running tunnel for cfg (same bastion, user, key, checks, listener
 * and database address) of the calling thread's job (log context), or start
 * one: connect (DP_TUNNEL_CONNECT_S timeout), check the host key,
 * authenticate (private key file, else ssh-agent when SSH_AUTH_SOCK is set,
 * then password), listen. *out gets a reference: give it back with
 * dp_tunnel_release. Thread-safe. */
#define DP_TUNNEL_CONNECT_S 10
int dp_tunnel_acquire(const dp_tunnel_cfg *cfg, dp_tunnel **out, dp_errbuf *eb) DP_MUSTCHECK;

/* The listener's numeric address ("127.0.0.1") and port: what the driver
 * connects to. Valid while the reference is held. */
const char *dp_tunnel_local_host(const dp_tunnel *t);
int dp_tunnel_local_port(const dp_tunnel *t);

/* 0 while the tunnel runs; DP_ERR_CONNECT with the reason in eb (naming the
 * tunnel) once it died. */
int dp_tunnel_status(dp_tunnel *t, dp_errbuf *eb);

/* Drop a reference; the last one stops the relay (connections still open
 * get up to DP_TUNNEL_DRAIN_MS to finish), joins its thread, closes every
 * descriptor and frees the tunnel. NULL is fine. */
#define DP_TUNNEL_DRAIN_MS 2000
void dp_tunnel_release(dp_tunnel *t);

/* Number of live tunnels in this process (tests). */
int dp_tunnel_count(void);

/* "SHA256:<base64 without padding>" of a host key blob (out >= 52 bytes). */
void dp_tunnel_fingerprint(const unsigned char *key, size_t keylen, char *out, size_t outsz);

#endif
