"""What bench/pages.py serves: the project with its static files collected into a folder of the
run (project_settings), and the minimal reference page (reference_settings)."""
