"""The detention record (écrou, sentences, reductions) and its computed sentence dates."""
