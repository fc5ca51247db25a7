/**
 * Deploy: the files under {@code deploy/} checked as far as this machine allows: the Zinit service
 * file loaded by a real zinit-server with Herd coming up under it, the Kubernetes manifests against
 * the Kubernetes schemas and for the fields that matter, the systemd unit, the Containerfile.
 */
package dev.herd.deploy;
