"""Loading the synthetic demo population: each installed app may offer a ``demo`` module
with ``load_demo_data() -> str`` that is safe to run any number of times."""
