/**
 * Api: Herd's HTTP surface under {@code /api/v1}: pools and their workers, events, the plan a pass
 * would apply now, and jobs. Errors are {@code application/problem+json}; requests that change
 * anything need a bearer token when Herd listens beyond loopback.
 */
package dev.herd.api;
