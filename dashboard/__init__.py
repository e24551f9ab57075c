"""The Streamlit dashboard over the warehouse: pages, queries and charts (built in issue 3/4)."""
