package app.tessera.engine;

/**
 * Whether an indexed folder (a root) can be read: online, or offline (absent: an unplugged drive,
 * an unmounted share). Files of an offline root are kept and come back with it.
 */
public enum RootState {
  ONLINE,
  OFFLINE
}
