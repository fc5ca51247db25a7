/**
 * What the reconcile loop reconciles to: each pool of the desired state, with the replica count the
 * scaler (or an override) gives it, the launch checks of its template and how to render each of
 * its workers' Zinit services. Wired here, above reconcile, scaling, jobs and launch, so that the
 * reconcile loop depends on none of them but through its own port ({@code DesiredSource}).
 */
package dev.herd.intents;
