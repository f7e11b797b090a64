/** End-to-end, UI and architecture tests of Tessera live under {@code src/test/java}. */
package app.tessera.srctest;
