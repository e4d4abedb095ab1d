"""The public credit site 信用中国(广西百色) · 隆林 at /, anonymous (PUBLIC role)."""
