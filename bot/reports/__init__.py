"""What officers take away: exports, and answers shown as their labels."""
