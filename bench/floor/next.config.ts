import type { NextConfig } from "next";

// The product's production settings that can touch the client bundle (next.config.ts at the
// root); the next-intl plugin only aliases a server module, so the floor leaves it out.
const nextConfig: NextConfig = {
  poweredByHeader: false,
};

export default nextConfig;
