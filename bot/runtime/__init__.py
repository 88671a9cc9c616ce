"""Background work of the running bot: digest scheduler, feed polling, the fetcher, the API base."""
