//! strikewatch archive stage (under construction).
