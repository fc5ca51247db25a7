/**
 * Zinit: everything Herd says to a Zinit process supervisor over its Unix socket.
 *
 * <p>Owns the neutral model ({@link dev.herd.zinit.ServiceSpec}, {@link dev.herd.zinit.ServiceStatus}),
 * the typed failures ({@link dev.herd.zinit.ZinitException}), the socket transports and one
 * {@link dev.herd.zinit.ZinitClient} implementation per Zinit dialect (crates.io v0.3, GitHub v0.2,
 * legacy line protocol). Nothing outside this package knows a wire format.
 */
package dev.herd.zinit;
