"""The planning pipeline: validated tables in, a stocking plan out."""
