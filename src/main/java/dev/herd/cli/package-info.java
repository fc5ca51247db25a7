/**
 * Cli: the command-line tools of the Herd jar ({@code validate}, {@code plan}, {@code status}, ...).
 * They run without starting the controller; those that show live state ask a running Herd over HTTP.
 */
package dev.herd.cli;
