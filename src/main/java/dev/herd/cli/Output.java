package dev.herd.cli;

/** How the live commands print: a table for people or Herd's JSON for programs. */
enum Output {
    table, json
}
