/** Config: Herd's own settings ({@code herd.*}), typed, each with its default and meaning. */
package dev.herd.config;
