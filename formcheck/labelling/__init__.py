"""`formcheck label`: a coach confirms or corrects the engine's reps and verdicts on a clip."""
