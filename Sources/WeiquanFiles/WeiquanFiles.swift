/// Reads the data directories from disk into core values.
public enum WeiquanFiles {}
