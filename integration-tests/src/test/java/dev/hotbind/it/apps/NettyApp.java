package dev.hotbind.it.apps;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Netty NIO (4.2's {@link NioIoHandler}, what {@code NioEventLoopGroup} now wraps): a non-blocking
 * {@link NioServerSocketChannel} registered with the boss loop's selector for OP_ACCEPT.
 */
public final class NettyApp {
    private NettyApp() {
    }

    public static void main(String[] args) throws Exception {
        Replies.warningsOnly();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("netty-boss"),
                NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("netty-worker"),
                NioIoHandler.newFactory());
        Channel server = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new RepliesHandler());
                    }
                })
                .bind("127.0.0.1", Replies.port()).sync().channel();
        // what deployments do: close the server channel and shut the event loops down on exit
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close().awaitUninterruptibly();
            boss.shutdownGracefully().awaitUninterruptibly();
            workers.shutdownGracefully().awaitUninterruptibly();
        }, "netty-shutdown"));
        Replies.ready("netty", ((InetSocketAddress) server.localAddress()).getPort());
        server.closeFuture().sync();
    }

    /** Answers as {@link Replies} says; a slow answer is scheduled, never slept on the event loop. */
    static final class RepliesHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            URI uri = URI.create(request.uri());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            ctx.executor().schedule(() -> answer(ctx, keepAlive),
                    Replies.delayMillis(uri.getPath(), uri.getQuery()), TimeUnit.MILLISECONDS);
        }

        private static void answer(ChannelHandlerContext ctx, boolean keepAlive) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(Replies.BODY, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            HttpUtil.setContentLength(response, response.content().readableBytes());
            HttpUtil.setKeepAlive(response, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
